/**
 * The typed problems the core throws ({@code MigrationException} and its kinds), phrased through a {@code Wording}
 * so that each edge names settings, options and commands its own way, and how database errors are shown (without
 * row data).
 * <p>
 * May use {@code api}.
 */
@NullMarked
package dev.lockstep.core.problem;

import org.jspecify.annotations.NullMarked;
