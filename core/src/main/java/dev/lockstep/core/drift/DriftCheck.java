package dev.lockstep.core.drift;

import java.sql.Connection;
import java.sql.SQLException;
import java.time.Instant;
import java.util.Optional;

import org.jspecify.annotations.Nullable;

import dev.lockstep.core.api.DriftReport;
import dev.lockstep.core.api.DriftState;
import dev.lockstep.core.api.LockHolder;
import dev.lockstep.core.drift.SchemaRecordStore.RecordSummary;
import dev.lockstep.core.jdbc.DatabaseSessions;
import dev.lockstep.core.jdbc.HistoryLocation;
import dev.lockstep.core.lock.MigrationLock;

/**
 * Compares the live schema with the record of what the migrations made, without taking the migration lock and
 * never while a run holds it: the lock is looked at before and after the catalog is read, and the record's version
 * too, so a run that started, changed the schema or recorded meanwhile makes the check say
 * {@link DriftState#RUN_IN_PROGRESS} instead of reporting the run's half-made changes as drift.
 */
public final class DriftCheck {

	private final CatalogReader reader;

	private final SchemaRecordStore store;

	private final HistoryLocation history;

	public DriftCheck(CatalogReader reader, SchemaRecordStore store, HistoryLocation history) {
		this.reader = reader;
		this.store = store;
		this.history = history;
	}

	public DriftReport check(Connection connection, MigrationLock lock, DriftIgnore ignore) {
		return check(connection, lock, ignore, null);
	}

	/**
	 * @param helper where the catalog read may take a second connection (see {@link CatalogReader#read(Connection,
	 * CatalogReader.ConnectionSource)}), or {@code null} to read on {@code connection} alone
	 */
	public DriftReport check(Connection connection, MigrationLock lock, DriftIgnore ignore,
			CatalogReader.@Nullable ConnectionSource helper) {
		Instant now = Instant.now();
		if (!DatabaseSessions.isPostgres(connection)) {
			return DriftReport.inconclusive(DriftState.UNSUPPORTED, now, null,
					"Drift is read from PostgreSQL's catalog; this database is not PostgreSQL");
		}
		Optional<LockHolder> holder = lock.holder(connection);
		if (holder.isPresent()) {
			return inProgress(now, holder.get(), null);
		}
		RecordSummary summary = this.store.summary(connection);
		if (summary == null) {
			return DriftReport.inconclusive(DriftState.NO_RECORD, now, null, "No Lockstep run has recorded what "
					+ "the migrations made yet (the record is written after each run that changes the schema); "
					+ "compare with the changelog instead: migrations diff --against=changelog (--record keeps it)");
		}
		String historyHash = DriftRecorder.historyHash(connection, this.history);
		if (!historyHash.equals(summary.historyHash())) {
			holder = lock.holder(connection);
			if (holder.isPresent()) {
				return inProgress(now, holder.get(), summary);
			}
			if (recordedMeanwhile(connection, summary)) {
				return recordedWhileRead(now, summary);
			}
			return stale(now, summary);
		}
		try {
			SchemaDescription live = this.reader.read(connection, helper);
			DriftComparison comparison = live.hash().equals(summary.descriptionHash())
					? new DriftComparison(java.util.List.of(), 0)
					: DriftComparison.of(recorded(connection), live, ignore);
			holder = lock.holder(connection);
			if (holder.isPresent()) {
				return inProgress(now, holder.get(), summary);
			}
			if (recordedMeanwhile(connection, summary)) {
				return recordedWhileRead(now, summary);
			}
			// A run that committed changesets and died before it could record (kill -9) while the catalog was
			// read: its changes are in the history, so they are not drift.
			if (!comparison.objects().isEmpty()
					&& !DriftRecorder.historyHash(connection, this.history).equals(summary.historyHash())) {
				return stale(now, summary);
			}
			DriftState state = comparison.objects().isEmpty() ? DriftState.CLEAN : DriftState.DRIFT;
			return new DriftReport(state, now, comparison.objects(), comparison.ignored(), summary.recordedAt(),
					null);
		}
		catch (SQLException ex) {
			DatabaseSessions.rollbackQuietly(connection);
			return DriftReport.inconclusive(DriftState.UNAVAILABLE, now, summary.recordedAt(),
					"Could not read the schema from the catalog: " + ex.getMessage());
		}
	}

	/** Whether a run wrote a new record since {@code summary} was read (it started and ended meanwhile). */
	private boolean recordedMeanwhile(Connection connection, RecordSummary summary) {
		RecordSummary after = this.store.summary(connection);
		return after == null || after.version() != summary.version();
	}

	private static DriftReport recordedWhileRead(Instant now, RecordSummary summary) {
		return DriftReport.inconclusive(DriftState.RUN_IN_PROGRESS, now, summary.recordedAt(),
				"A migration run recorded the schema while it was read; compare again");
	}

	private static DriftReport stale(Instant now, RecordSummary summary) {
		return DriftReport.inconclusive(DriftState.STALE_RECORD, now, summary.recordedAt(),
				"The history changed after the schema was recorded (a run outside Lockstep, or one that ended "
						+ "before it could record): the next run that changes the schema records it again; "
						+ "migrations diff --against=changelog --record records it now");
	}

	private SchemaDescription recorded(Connection connection) throws SQLException {
		SchemaDescription recorded = this.store.description(connection);
		if (recorded == null) {
			throw new SQLException("The record of the schema disappeared while it was read");
		}
		return recorded;
	}

	private static DriftReport inProgress(Instant now, LockHolder holder, @Nullable RecordSummary summary) {
		return DriftReport.inconclusive(DriftState.RUN_IN_PROGRESS, now,
				(summary != null) ? summary.recordedAt() : null, "A migration run (" + holder.describe()
						+ ") holds the lock: the schema is compared once it ends");
	}

}
