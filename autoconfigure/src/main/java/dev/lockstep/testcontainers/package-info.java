/**
 * Testcontainers support: a {@code @ServiceConnection} JDBC container supplies the migration database.
 */
@NullMarked
package dev.lockstep.testcontainers;

import org.jspecify.annotations.NullMarked;
