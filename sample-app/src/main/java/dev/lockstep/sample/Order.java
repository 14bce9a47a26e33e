package dev.lockstep.sample;

import java.time.OffsetDateTime;

/**
 * An order.
 *
 * @param id its id
 * @param customerId who placed it
 * @param totalCents its total, in cents
 * @param status its status, added in release 1.2.0 ({@code PLACED} for the orders placed before)
 * @param createdAt when it was placed
 */
public record Order(Long id, Long customerId, Long totalCents, String status, OffsetDateTime createdAt) {
}
