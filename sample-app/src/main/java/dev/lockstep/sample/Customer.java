package dev.lockstep.sample;

/**
 * A customer of the orders service.
 *
 * @param id its id
 * @param name its name
 * @param email its e-mail address, added in release 1.1.0
 */
public record Customer(Long id, String name, String email) {
}
