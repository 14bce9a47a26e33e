package dev.lockstep.core.lock;

import java.sql.Connection;
import java.time.Duration;

import dev.lockstep.core.api.LockHolder;
import dev.lockstep.core.jdbc.HistoryLocation;

/**
 * The fallback for databases without advisory locks: Liquibase's own DATABASECHANGELOGLOCK row, taken by
 * Liquibase during the run. A run killed while holding it leaves it locked until released by hand.
 */
public final class LiquibaseRowLock implements MigrationLock {

	private final HistoryLocation history;

	public LiquibaseRowLock(HistoryLocation history) {
		this.history = history;
	}

	@Override
	public LockHandle acquire(Duration timeout, WaitObserver observer,
			java.util.function.BooleanSupplier noLongerNeeded) {
		return new LockHandle() {

			@Override
			public Duration waited() {
				return Duration.ZERO;
			}

			@Override
			public void close() {
			}

		};
	}

	@Override
	public LockHolder holder(Connection connection) {
		return ChangeLogLockRow.read(connection, this.history.table(connection, "DATABASECHANGELOGLOCK"));
	}

	@Override
	public boolean isAdvisory() {
		return false;
	}

}
