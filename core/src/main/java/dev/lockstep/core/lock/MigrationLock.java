package dev.lockstep.core.lock;

import java.sql.Connection;
import java.time.Duration;

import dev.lockstep.core.api.LockHolder;

/**
 * The lock that keeps runs against one history one at a time.
 */
public interface MigrationLock {

	/**
	 * Takes the lock, waiting up to {@code timeout} for another run.
	 * @throws dev.lockstep.core.problem.LockTimeoutException when the wait runs out, naming the holder
	 * @throws dev.lockstep.core.problem.LockWaitInterruptedException when the waiting thread is interrupted
	 */
	default LockHandle acquire(Duration timeout, WaitObserver observer) {
		return acquire(timeout, observer, () -> false);
	}

	/**
	 * Takes the lock like {@link #acquire(Duration, WaitObserver)}, but gives up waiting, returning {@code null},
	 * as soon as {@code noLongerNeeded} says the work was done by the holder.
	 */
	LockHandle acquire(Duration timeout, WaitObserver observer, java.util.function.BooleanSupplier noLongerNeeded);

	/** Who holds the lock now, read on the given connection; {@code null} when nobody does. */
	LockHolder holder(Connection connection);

	/**
	 * Whether this lock protects the run by itself (PostgreSQL advisory lock), so that Liquibase's
	 * DATABASECHANGELOGLOCK row is only a courtesy to other Liquibase clients.
	 */
	boolean isAdvisory();

}
