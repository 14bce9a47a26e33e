package dev.lockstep.core.lock;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.Map;

import liquibase.Scope;
import liquibase.changelog.ChangeLogHistoryServiceFactory;
import liquibase.database.Database;
import liquibase.database.jvm.JdbcConnection;
import liquibase.exception.DatabaseException;
import liquibase.exception.LockException;
import liquibase.lockservice.StandardLockService;

/**
 * Liquibase's lock service inside a run of {@link LiquibaseRowLock}, whose handle already holds the
 * DATABASECHANGELOGLOCK row for the whole run: it checks that the row is locked instead of taking it, and leaves
 * releasing it to the handle (so the row stays held between the run's Liquibase commands and while the run is
 * recorded). Selected only inside the scope {@link #scope()} gives; every other Liquibase use keeps the standard
 * lock service.
 */
public class HeldRowLockService extends StandardLockService {

	static final String HELD_KEY = "lockstep.changelogLock.heldByRun";

	private volatile boolean held;

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
	public boolean hasChangeLogLock() {
		return this.held;
	}

	@Override
	public void waitForLock() throws LockException {
		if (!acquireLock()) {
			throw new LockException("Liquibase's lock row DATABASECHANGELOGLOCK is not locked, although this run "
					+ "took it before it started: it was released by hand while the run was going on");
		}
	}

	@Override
	public boolean acquireLock() throws LockException {
		if (this.held) {
			return true;
		}
		try {
			this.database.rollback();
			Connection connection = ((JdbcConnection) this.database.getConnection()).getUnderlyingConnection();
			String table = this.database.escapeTableName(this.database.getLiquibaseCatalogName(),
					this.database.getLiquibaseSchemaName(), this.database.getDatabaseChangeLogLockTableName());
			try (Statement statement = connection.createStatement();
					ResultSet row = statement.executeQuery("SELECT LOCKED FROM " + table + " WHERE ID = 1")) {
				if (!row.next() || !row.getBoolean(1)) {
					return false;
				}
			}
			this.held = true;
			Scope.getCurrentScope().getSingleton(ChangeLogHistoryServiceFactory.class).resetAll();
			this.database.setCanCacheLiquibaseTableInfo(true);
			return true;
		}
		catch (Exception ex) {
			throw new LockException(ex);
		}
		finally {
			try {
				this.database.rollback();
			}
			catch (DatabaseException ex) {
				// The next statement reports a broken connection.
			}
		}
	}

	/** Forgets the row without releasing it: the handle of the lock releases it when the run ends. */
	@Override
	public void releaseLock() {
		this.held = false;
		this.database.setCanCacheLiquibaseTableInfo(false);
	}

	@Override
	public void reset() {
		super.reset();
		this.held = false;
	}

}
