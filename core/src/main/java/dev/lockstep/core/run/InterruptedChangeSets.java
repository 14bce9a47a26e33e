package dev.lockstep.core.run;

import java.sql.Connection;
import java.sql.SQLException;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import dev.lockstep.core.api.ChangeSetRef;
import dev.lockstep.core.jdbc.DatabaseSessions;
import dev.lockstep.core.api.HistoryReport;
import dev.lockstep.core.run.InFlightChangeSets.InFlightChangeSet;
import dev.lockstep.core.run.InFlightChangeSets.Operation;

/**
 * Tells, at the start of a run under the lock, about changesets that cannot be atomic ({@code runInTransaction:
 * false}) and that a run died in the middle of (or failed to record): they may have been partly applied (or
 * partly rolled back). Records whose changeset was recorded after all are stale and deleted.
 */
public final class InterruptedChangeSets {

	private static final Logger logger = LoggerFactory.getLogger("dev.lockstep.Migrations");

	static final String RERUNNABLE = "Changesets that do not run in a transaction must be re-runnable: guard each "
			+ "statement (CREATE ... IF NOT EXISTS, DROP ... IF EXISTS), and for CREATE INDEX CONCURRENTLY drop the "
			+ "INVALID index a crash leaves behind first.";

	private InterruptedChangeSets() {
	}

	/**
	 * Logs a warning for each changeset a dead run left in flight.
	 * @return the changesets warned about
	 */
	public static List<InFlightChangeSet> warn(Connection connection, InFlightChangeSets store,
			HistoryReport report) {
		List<InFlightChangeSet> inFlight;
		try {
			inFlight = store.read(connection);
		}
		catch (SQLException ex) {
			DatabaseSessions.rollbackQuietly(connection);
			logger.debug("Could not read {}", InFlightChangeSets.TABLE, ex);
			return List.of();
		}
		if (inFlight.isEmpty()) {
			return List.of();
		}
		Set<String> pending = new HashSet<>();
		report.status().pending().forEach((changeSet) -> pending.add(changeSet.ref().key()));
		report.alwaysRun().forEach((changeSet) -> pending.add(changeSet.key()));
		Set<String> applied = new HashSet<>();
		report.history().forEach((row) -> applied.add(row.ref().key()));
		List<InFlightChangeSet> warned = new java.util.ArrayList<>();
		for (InFlightChangeSet changeSet : inFlight) {
			String key = ChangeSetRef.key(changeSet.changeLog(), changeSet.id(), changeSet.author());
			if (changeSet.operation() == Operation.APPLY && pending.contains(key)) {
				logger.warn("Changeset {} does not run in a transaction (runInTransaction: false) and a run that died "
						+ "(or failed while recording it) was applying it ({}, started {}): it may have been partly "
						+ "applied. It is still pending and "
						+ "will be run again. {}", changeSet.describe(), changeSet.recordedBy(),
						changeSet.startedAt(), RERUNNABLE);
				warned.add(changeSet);
			}
			else if (changeSet.operation() == Operation.ROLLBACK && applied.contains(key)) {
				logger.warn("Changeset {} does not run in a transaction (runInTransaction: false) and a run that died "
						+ "(or failed while recording it) was rolling it back ({}, started {}): it may have been partly rolled back, while its history "
						+ "row still says it is applied. Roll it back again (its rollback must be re-runnable) or "
						+ "repair it by hand.", changeSet.describe(), changeSet.recordedBy(), changeSet.startedAt());
				warned.add(changeSet);
			}
			else if (changeSet.operation() == Operation.APPLY && !applied.contains(key)) {
				logger.warn("Changeset {} does not run in a transaction (runInTransaction: false) and a run that died "
						+ "(or failed while recording it) was applying it ({}, started {}): it may have been partly "
						+ "applied. This changelog does "
						+ "not select it (contexts, labels, or removed): check its objects by hand.",
						changeSet.describe(), changeSet.recordedBy(), changeSet.startedAt());
				warned.add(changeSet);
			}
			else {
				// Its history row was written (or deleted) after all: nothing was left half-done.
				forget(connection, store, changeSet);
			}
		}
		return warned;
	}

	private static void forget(Connection connection, InFlightChangeSets store, InFlightChangeSet changeSet) {
		try {
			store.clear(connection, changeSet);
			if (!connection.getAutoCommit()) {
				connection.commit();
			}
		}
		catch (SQLException ex) {
			DatabaseSessions.rollbackQuietly(connection);
			logger.debug("Could not delete a stale record from {}", InFlightChangeSets.TABLE, ex);
		}
	}


}
