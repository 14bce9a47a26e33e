package dev.lockstep.core.lock;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Map;

import liquibase.Scope;
import liquibase.database.Database;
import liquibase.exception.LockException;

/**
 * Liquibase's lock service inside a run of {@link LiquibaseRowLock}, whose handle already holds the
 * DATABASECHANGELOGLOCK row for the whole run: it checks that the row is locked instead of taking it, and leaves
 * releasing it to the handle (so the row stays held between the run's Liquibase commands and while the run is
 * recorded). Selected only inside the scope {@link #scope()} gives; every other Liquibase use keeps the standard
 * lock service.
 */
public class HeldRowLockService extends RunRowLockService {

	static final String HELD_KEY = "lockstep.changelogLock.heldByRun";

	/** Scope values that make Liquibase use this lock service for databases created inside that scope. */
	static Map<String, Object> scope() {
		return Map.of(HELD_KEY, Boolean.TRUE);
	}

	@Override
	public int getPriority() {
		return super.getPriority() + 100;
	}

	@Override
	public boolean supports(Database database) {
		return Boolean.TRUE.equals(Scope.getCurrentScope().get(HELD_KEY, Boolean.class)) && super.supports(database);
	}

	@Override
	public void waitForLock() throws LockException {
		if (!acquireLock()) {
			throw new LockException("Liquibase's lock row DATABASECHANGELOGLOCK is not locked, although this run "
					+ "took it before it started: it was released by hand while the run was going on");
		}
	}

	/** The run's handle took the row: it only has to be locked still. */
	@Override
	protected boolean tryTake(Connection connection, String lockTable) throws SQLException {
		try (Statement statement = connection.createStatement();
				ResultSet row = statement.executeQuery("SELECT LOCKED FROM " + lockTable + " WHERE ID = 1")) {
			return row.next() && row.getBoolean(1);
		}
	}

	/** Forgets the row without releasing it: the handle of the lock releases it when the run ends. */
	@Override
	public void releaseLock() {
		forgetHeld();
		this.database.setCanCacheLiquibaseTableInfo(false);
	}

}
