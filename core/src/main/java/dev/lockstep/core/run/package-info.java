/**
 * The startup operations (apply, validate, report, inspect, pending SQL) and what they share ({@code RunContext}):
 * the lock dance in one place ({@code LockedRun}), atomic changesets, the watchdog, progress lines, the fast path
 * and the listeners.
 * <p>
 * May use {@code api}, {@code problem}, {@code jdbc}, {@code changelog}, {@code fingerprint}, {@code status} and
 * {@code lock}.
 */
@NullMarked
package dev.lockstep.core.run;

import org.jspecify.annotations.NullMarked;
