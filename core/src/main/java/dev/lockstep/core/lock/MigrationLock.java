package dev.lockstep.core.lock;

import java.sql.Connection;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.function.BooleanSupplier;

import dev.lockstep.core.api.LockHolder;

/**
 * The lock that keeps runs against one history one at a time. One implementation per kind of database, picked by
 * {@link MigrationLocks}; everything that differs between them is behind this interface.
 */
public interface MigrationLock {

	/**
	 * Takes the lock, waiting up to {@code timeout} for another run, unless {@code doneElsewhere} (asked now and then
	 * while waiting) says the holder did the work meanwhile.
	 * @param observer told every few seconds who the caller is waiting for
	 * @return the held lock, or empty when {@code doneElsewhere} ended the wait
	 * @throws dev.lockstep.core.problem.LockTimeoutException when the wait runs out, naming the holder
	 * @throws dev.lockstep.core.problem.LockWaitInterruptedException when the waiting thread is interrupted (or
	 * {@code doneElsewhere} throws it, to cancel the wait)
	 */
	Optional<LockHandle> acquire(Duration timeout, WaitObserver observer, BooleanSupplier doneElsewhere);

	/** Who holds the lock now, read on the given connection; empty when nobody does (or it cannot be read). */
	Optional<LockHolder> holder(Connection connection);

	/**
	 * Scope values for the Liquibase commands run while this lock is held, which tell Liquibase how to treat its
	 * own DATABASECHANGELOGLOCK row.
	 * @param rowWaitTimeout how long Liquibase may wait for a row held by a client outside Lockstep
	 */
	Map<String, Object> liquibaseScope(Duration rowWaitTimeout);

}
