/**
 * Where the schema stands: the status read (pending, unexpected, edited changesets), the last recorded run, a
 * database ahead of the changelog, how mismatches are described, and the bound on status queries.
 * <p>
 * May use {@code api}, {@code problem}, {@code jdbc}, {@code changelog} and {@code fingerprint}.
 */
@NullMarked
package dev.lockstep.core.status;

import org.jspecify.annotations.NullMarked;
