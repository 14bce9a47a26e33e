package dev.lockstep.core.lock;

import java.sql.Connection;

import liquibase.Scope;
import liquibase.changelog.ChangeLogHistoryServiceFactory;
import liquibase.database.jvm.JdbcConnection;
import liquibase.exception.DatabaseException;
import liquibase.exception.LockException;
import liquibase.lockservice.StandardLockService;

/**
 * What Lockstep's two Liquibase lock services share: one attempt at the DATABASECHANGELOGLOCK row outside any open
 * transaction, and, once the row counts as held, Liquibase's history caches reset as its own service does.
 */
abstract class RunRowLockService extends StandardLockService {

	private volatile boolean held;

	@Override
	public boolean hasChangeLogLock() {
		return this.held;
	}

	@Override
	public final boolean acquireLock() throws LockException {
		if (this.held) {
			return true;
		}
		try {
			this.database.rollback();
			Connection connection = ((JdbcConnection) this.database.getConnection()).getUnderlyingConnection();
			if (!tryTake(connection, lockTable())) {
				return false;
			}
			this.held = true;
			Scope.getCurrentScope().getSingleton(ChangeLogHistoryServiceFactory.class).resetAll();
			this.database.setCanCacheLiquibaseTableInfo(true);
			return true;
		}
		catch (LockException ex) {
			throw ex;
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

	/**
	 * One attempt: whether the row is this run's now.
	 * @param connection the Liquibase database's connection, outside any transaction
	 * @param lockTable the lock table's escaped, qualified name
	 */
	protected abstract boolean tryTake(Connection connection, String lockTable) throws Exception;

	/** Forgets the row (whoever releases it). */
	protected final void forgetHeld() {
		this.held = false;
	}

	protected final String lockTable() {
		return this.database.escapeTableName(this.database.getLiquibaseCatalogName(),
				this.database.getLiquibaseSchemaName(), this.database.getDatabaseChangeLogLockTableName());
	}

	@Override
	public void reset() {
		super.reset();
		this.held = false;
	}

}
