/**
 * The fast path's evidence: hashes of the changelog's files and of the history, and the record that a changelog
 * was verified against exactly that history.
 * <p>
 * May use {@code api} and {@code jdbc}.
 */
@NullMarked
package dev.lockstep.core.fingerprint;

import org.jspecify.annotations.NullMarked;
