package dev.lockstep.core.drift;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeSet;

import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import dev.lockstep.core.api.AppliedChangeSet;
import dev.lockstep.core.fingerprint.HistoryRows;
import dev.lockstep.core.jdbc.DatabaseSessions;
import dev.lockstep.core.jdbc.HistoryLocation;
import dev.lockstep.core.drift.SchemaRecordStore.RecordSummary;

/**
 * Records what the migrations made, on the lock holder's session: before work that may change the schema it notes
 * the history and (when a current record exists) the live schema; afterwards, if the history changed, it records
 * the objects the work changed as they are now and every other object as recorded before. So drift that was there
 * before a run stays drift after it, unless the run applied the changeset {@code migrations diff --output} wrote
 * for that object (author {@value DriftChangelogWriter#AUTHOR}): that adopts the object as it is now. Recording
 * never fails a run: when it cannot record, it says so, and drift
 * checks report a stale record until a later run records.
 */
public final class DriftRecorder {

	private static final Logger logger = LoggerFactory.getLogger("dev.lockstep.Migrations");

	/** Where runs note the changesets outside a transaction they are in the middle of. */
	static final String IN_FLIGHT_TABLE = "LOCKSTEP_IN_FLIGHT";

	private final CatalogReader reader;

	private final SchemaRecordStore store;

	private final HistoryLocation history;

	public DriftRecorder(CatalogReader reader, SchemaRecordStore store, HistoryLocation history) {
		this.reader = reader;
		this.store = store;
		this.history = history;
	}

	HistoryLocation history() {
		return this.history;
	}

	/** What was there before the work; call under the lock, before it. */
	public Before before(Connection connection) {
		try {
			if (!DatabaseSessions.isPostgres(connection)) {
				return Before.NOT_RECORDED;
			}
			String historyHash = historyHash(connection, this.history);
			RecordSummary summary = this.store.summary(connection);
			boolean current = summary != null && summary.historyHash().equals(historyHash);
			SchemaDescription live = current ? this.reader.read(connection) : null;
			return new Before(true, historyHash, current ? summary : null, live,
					current ? adoptions(connection) : Set.of());
		}
		catch (SQLException | RuntimeException ex) {
			logger.warn("Could not read the schema before the run ({}); the record of what the migrations made is "
					+ "taken from the schema after it", ex.getMessage());
			return new Before(true, null, null, null, Set.of());
		}
	}

	/**
	 * Records the schema if the work changed the history; call under the lock, after the work, whether it succeeded
	 * or not (what it applied before failing was made by the migrations too).
	 */
	public void after(Connection connection, Before before, String recordedBy) {
		if (!before.recording() || isClosed(connection)) {
			return; // a lost session: the run's failure says so, and the next run records
		}
		long start = System.nanoTime();
		try {
			DatabaseSessions.rollbackQuietly(connection);
			String historyHash = historyHash(connection, this.history);
			RecordSummary summary = before.summary();
			SchemaDescription live = before.live();
			SchemaDescription now;
			if (historyHash.equals(before.historyHash())) {
				// The history did not change, but a changeset outside a transaction that failed half-way did change
				// the schema: what it made is recorded too (known only when the record was current before).
				if (summary == null || live == null) {
					return;
				}
				now = this.reader.read(connection);
				if (now.hash().equals(live.hash())) {
					return;
				}
			}
			else {
				now = this.reader.read(connection);
			}
			SchemaDescription recorded = now;
			if (summary != null && live != null && !live.hash().equals(summary.descriptionHash())) {
				SchemaDescription previous = this.store.description(connection);
				if (previous != null) {
					recorded = DriftComparison.carryForward(previous, live, now);
					Set<String> adopted = new HashSet<>(adoptions(connection));
					adopted.removeAll(before.adoptions());
					recorded = adopt(recorded, now, adopted);
				}
			}
			this.store.write(connection, recorded, historyHash, recordedBy);
			logger.debug("Recorded the schema as the migrations made it ({} objects) in {} ms",
					recorded.objects().size(), (System.nanoTime() - start) / 1_000_000);
		}
		catch (SQLException | RuntimeException ex) {
			logger.warn("Could not record the schema as the migrations made it ({}); drift checks report a stale "
					+ "record until a later run records", ex.getMessage());
		}
	}

	private static boolean isClosed(Connection connection) {
		try {
			return connection.isClosed();
		}
		catch (SQLException ex) {
			return true;
		}
	}

	/** The history keys of the adoption changesets {@code migrations diff --output} writes. */
	private Set<String> adoptions(Connection connection) {
		HistoryRows rows = HistoryRows.read(connection, this.history);
		Set<String> keys = new HashSet<>();
		if (rows != null) {
			for (AppliedChangeSet row : rows.rows()) {
				if (DriftChangelogWriter.AUTHOR.equalsIgnoreCase(row.author())) {
					keys.add(row.ref().key() + "\n" + row.id());
				}
			}
		}
		return keys;
	}

	/**
	 * The record with the objects the newly applied adoption changesets name (and, for a table, what belongs to
	 * it) taken as they are now.
	 * @param adopted history keys of the adoption changesets this run applied, see {@link #adoptions}
	 */
	static SchemaDescription adopt(SchemaDescription recorded, SchemaDescription now, Set<String> adopted) {
		if (adopted.isEmpty()) {
			return recorded;
		}
		Set<String> ids = new HashSet<>();
		for (String key : adopted) {
			ids.add(key.substring(key.lastIndexOf('\n') + 1));
		}
		Map<String, CatalogObject> result = recorded.byKey();
		Map<String, CatalogObject> is = now.byKey();
		TreeSet<String> keys = new TreeSet<>(result.keySet());
		keys.addAll(is.keySet());
		for (String key : keys) {
			CatalogObject was = result.get(key);
			CatalogObject current = is.get(key);
			if (was != null && current != null && Objects.equals(was.definition(), current.definition())) {
				continue;
			}
			CatalogObject either = (current != null) ? current : was;
			boolean named = ids.contains(DriftChangelogWriter.changeSetId(either.type(), either.name()))
					|| (either.table() != null && ids.contains(DriftChangelogWriter.changeSetId("table", either.table())));
			if (named) {
				if (current != null) {
					result.put(key, current);
				}
				else {
					result.remove(key);
				}
			}
		}
		return SchemaDescription.of(new ArrayList<>(result.values()));
	}

	/**
	 * The hash of the history as it is now (empty when there is no history table), with the changesets outside a
	 * transaction that a run started and did not finish: a run killed in the middle of one leaves its first
	 * statements applied and no history row, so the record no longer says what the migrations made.
	 */
	static String historyHash(Connection connection, HistoryLocation history) {
		HistoryRows rows = HistoryRows.read(connection, history);
		String hash = (rows != null) ? rows.hash() : "";
		String inFlight = inFlightRows(connection, history);
		return inFlight.isEmpty() ? hash : SchemaDescription.hash(hash + "\n" + inFlight);
	}

	/**
	 * The rows of {@value #IN_FLIGHT_TABLE} (written by the run package's {@code InFlightChangeSets}), one line each;
	 * empty when there are none or they cannot be read.
	 */
	private static String inFlightRows(Connection connection, HistoryLocation history) {
		try {
			String schema = history.resolve(connection).schema();
			try (PreparedStatement exists = connection.prepareStatement(
					"SELECT 1 FROM pg_catalog.pg_tables WHERE schemaname = ? AND tablename = ?")) {
				exists.setString(1, schema);
				exists.setString(2, IN_FLIGHT_TABLE.toLowerCase(Locale.ROOT));
				try (ResultSet row = exists.executeQuery()) {
					if (!row.next()) {
						return "";
					}
				}
			}
			StringBuilder lines = new StringBuilder();
			try (Statement statement = connection.createStatement();
					ResultSet row = statement.executeQuery("SELECT OPERATION, ID, AUTHOR, FILENAME, STARTED_AT FROM "
							+ history.table(connection, IN_FLIGHT_TABLE) + " ORDER BY 1, 2, 3, 4, 5")) {
				while (row.next()) {
					lines.append(row.getString(1)).append('\t').append(row.getString(2)).append('\t')
						.append(row.getString(3)).append('\t').append(row.getString(4)).append('\t')
						.append(row.getString(5)).append('\n');
				}
			}
			return lines.toString();
		}
		catch (SQLException ex) {
			DatabaseSessions.rollbackQuietly(connection);
			return "";
		}
	}

	/**
	 * @param recording whether to record after the work
	 * @param historyHash the history's hash before the work, or {@code null} when it could not be read
	 * @param summary the record before the work when it belonged to that history, else {@code null}
	 * @param live the live schema before the work, read when {@code summary} is not {@code null}
	 * @param adoptions the adoption changesets the history had before the work (see {@link DriftChangelogWriter})
	 */
	public record Before(boolean recording, @Nullable String historyHash, @Nullable RecordSummary summary,
			@Nullable SchemaDescription live, Set<String> adoptions) {

		public static final Before NOT_RECORDED = new Before(false, null, null, null, Set.of());

		public Before {
			adoptions = Set.copyOf(adoptions);
		}

	}

}
