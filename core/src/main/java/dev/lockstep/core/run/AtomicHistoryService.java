package dev.lockstep.core.run;

import liquibase.changelog.ChangeSet;
import liquibase.changelog.StandardChangeLogHistoryService;
import liquibase.database.Database;
import liquibase.exception.DatabaseException;

/**
 * Liquibase's history service for connections opened by Lockstep: writes and deletes history rows exactly as
 * Liquibase does (same statements: INSERT, or UPDATE for a changeset that ran before, with the same checksum, exec
 * type and order), and tells the run's {@link AtomicChangeSets} right before, so that the row commits together with
 * the changeset's statements. When writing the row fails, the changeset's statements are rolled back with it.
 * <p>
 * Selected by Liquibase (ahead of its standard service) only for databases whose connection is an
 * {@link AtomicChangeSetConnection}; a status read still gets {@code StatusReadHistoryService}, which ranks higher
 * inside its read-only scope.
 */
public class AtomicHistoryService extends StandardChangeLogHistoryService {

	@Override
	public int getPriority() {
		return super.getPriority() + 50;
	}

	@Override
	public boolean supports(Database database) {
		return database.getConnection() instanceof AtomicChangeSetConnection && super.supports(database);
	}

	@Override
	public void setExecType(ChangeSet changeSet, ChangeSet.ExecType execType) throws DatabaseException {
		AtomicChangeSets run = run();
		if (run == null) {
			super.setExecType(changeSet, execType);
			return;
		}
		run.beforeHistoryRow(changeSet);
		try {
			super.setExecType(changeSet, execType);
		}
		catch (DatabaseException | RuntimeException ex) {
			run.historyRowFailed();
			throw ex;
		}
		run.afterHistoryRow(changeSet);
	}

	@Override
	public void removeFromHistory(ChangeSet changeSet) throws DatabaseException {
		AtomicChangeSets run = run();
		if (run == null) {
			super.removeFromHistory(changeSet);
			return;
		}
		run.beforeHistoryRow(changeSet);
		try {
			super.removeFromHistory(changeSet);
		}
		catch (DatabaseException | RuntimeException ex) {
			run.historyRowFailed();
			throw ex;
		}
		run.afterHistoryRow(changeSet);
	}

	private AtomicChangeSets run() {
		return (getDatabase().getConnection() instanceof AtomicChangeSetConnection connection) ? connection.run()
				: null;
	}

}
