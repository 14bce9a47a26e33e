package dev.lockstep.core.api;

import java.time.Duration;

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

	/** The run ended, successfully or not. */
	default void runEnded(RunResult result) {
	}

}
