package dev.lockstep.core.api;

import java.time.Duration;

import org.jspecify.annotations.Nullable;

/**
 * Told about each run; the seam for the endpoint's {@code lastRun} and for metrics.
 */
public interface MigrationRunListener {

	/** A run started (before any lock). */
	default void runStarted(MigrationMode mode) {
	}

	/**
	 * The run waited for, and then got or gave up on, the lock.
	 * @param waited how long it waited
	 * @param acquired whether it got the lock
	 */
	default void lockWaitEnded(Duration waited, boolean acquired) {
	}

	/**
	 * A changeset timed out waiting for a lock (another session held one on what it changes), was rolled back and
	 * is about to be tried again.
	 * @param changeSet the changeset ({@code id::author (file)}), or {@code null} when no changeset was running
	 * @param retry which retry this is, from 1
	 */
	default void ddlLockRetried(@Nullable String changeSet, int retry) {
	}

	/** The run ended, successfully or not. */
	default void runEnded(RunResult result) {
	}

}
