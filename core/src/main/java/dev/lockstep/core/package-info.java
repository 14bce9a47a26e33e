/**
 * Lockstep's Spring-free core, seen from outside: the {@code MigrationEngine} facade (status, startup runs, pending
 * SQL), the {@code MigrationCommands} facade (the command verbs) and the cached {@code MigrationMonitor}.
 * <p>
 * May use every other core package; nothing in the core uses this one.
 */
@NullMarked
package dev.lockstep.core;

import org.jspecify.annotations.NullMarked;
