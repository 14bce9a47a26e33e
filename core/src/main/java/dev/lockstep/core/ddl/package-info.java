/**
 * DDL that never queues traffic: the lock timeout a run's statements wait under ({@code SessionLockTimeout}), what
 * a lock timeout is and how long to pause before trying again ({@code LockTimeouts}), who held the lock a
 * statement waited for ({@code BlockerSampler}, {@code Blocker}), and the INVALID indexes a failed
 * {@code CREATE INDEX CONCURRENTLY} leaves behind ({@code InvalidIndexes}).
 * <p>
 * May use {@code api} and {@code problem}; knows PostgreSQL, not Liquibase.
 */
@NullMarked
package dev.lockstep.core.ddl;

import org.jspecify.annotations.NullMarked;
