package dev.lockstep.sample;

/**
 * A customer of the orders service.
 * <p>
 * The API field {@code name} stayed the same while its column was renamed from {@code name} to {@code full_name}
 * (releases 1.4.0 and 1.5.0): the schema changes, the API does not.
 *
 * @param id its id
 * @param name its name (column {@code full_name} since release 1.4.0)
 * @param email its e-mail address, added in release 1.1.0
 */
public record Customer(Long id, String name, String email) {
}
