package dev.lockstep.core.drift;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.sql.Timestamp;
import java.time.Instant;

import org.jspecify.annotations.Nullable;

import dev.lockstep.core.jdbc.DatabaseSessions;
import dev.lockstep.core.jdbc.HistoryLocation;
import dev.lockstep.core.jdbc.HistoryTime;

/**
 * What the migrations made, kept in a one-row table beside the history ({@code LOCKSTEP_SCHEMA_RECORD}): the
 * schema description, its hash, and the hash of the history it belongs to. Written by the lock holder only;
 * read by anyone. Its version goes up with every write, so a reader can tell that a run recorded while it read.
 */
public final class SchemaRecordStore {

	public static final String TABLE = "LOCKSTEP_SCHEMA_RECORD";

	private final HistoryLocation location;

	public SchemaRecordStore(HistoryLocation location) {
		this.location = location;
	}

	/**
	 * The record without its description (one short row), or {@code null} when none was made (or the table cannot
	 * be read). Reads in a transaction of its own when the connection is not in auto-commit.
	 */
	public @Nullable RecordSummary summary(Connection connection) {
		if (!tableExists(connection)) {
			return null;
		}
		String table = this.location.table(connection, TABLE);
		try (Statement statement = connection.createStatement();
				ResultSet row = statement.executeQuery("SELECT VERSION, HISTORY_HASH, DESCRIPTION_HASH, OBJECT_COUNT, "
						+ "RECORDED_AT, RECORDED_BY FROM " + table + " WHERE ID = 1")) {
			if (!row.next()) {
				return null;
			}
			return new RecordSummary(row.getLong(1), row.getString(2), row.getString(3), row.getInt(4),
					row.getTimestamp(5, HistoryTime.utcCalendar()).toInstant(), row.getString(6));
		}
		catch (SQLException ex) {
			rollbackUnlessAutoCommit(connection);
			return null;
		}
	}

	/** The recorded description, or {@code null} when none was made. */
	public @Nullable SchemaDescription description(Connection connection) throws SQLException {
		if (!tableExists(connection)) {
			return null;
		}
		String table = this.location.table(connection, TABLE);
		try (Statement statement = connection.createStatement();
				ResultSet row = statement.executeQuery("SELECT DESCRIPTION FROM " + table + " WHERE ID = 1")) {
			return row.next() ? SchemaDescription.parse(row.getString(1)) : null;
		}
	}

	/**
	 * Replaces the record, in a transaction of its own on the lock holder's session.
	 * @return the new record's summary
	 */
	public RecordSummary write(Connection connection, SchemaDescription description, String historyHash,
			String recordedBy) throws SQLException {
		String table = this.location.table(connection, TABLE);
		boolean autoCommit = connection.getAutoCommit();
		try {
			connection.setAutoCommit(true);
			try (Statement statement = connection.createStatement()) {
				statement.execute("CREATE TABLE IF NOT EXISTS " + table + " (ID INT NOT NULL PRIMARY KEY, "
						+ "VERSION BIGINT NOT NULL, HISTORY_HASH VARCHAR(64) NOT NULL, "
						+ "DESCRIPTION_HASH VARCHAR(64) NOT NULL, OBJECT_COUNT INT NOT NULL, "
						+ "RECORDED_AT TIMESTAMP NOT NULL, RECORDED_BY VARCHAR(255), DESCRIPTION TEXT NOT NULL)");
			}
			connection.setAutoCommit(false);
			Instant now = Instant.now();
			long version;
			try (Statement select = connection.createStatement();
					ResultSet row = select.executeQuery("SELECT COALESCE(MAX(VERSION), 0) FROM " + table)) {
				row.next();
				version = row.getLong(1) + 1;
			}
			try (Statement delete = connection.createStatement();
					PreparedStatement insert = connection.prepareStatement("INSERT INTO " + table
							+ " (ID, VERSION, HISTORY_HASH, DESCRIPTION_HASH, OBJECT_COUNT, RECORDED_AT, RECORDED_BY, "
							+ "DESCRIPTION) VALUES (1, ?, ?, ?, ?, ?, ?, ?)")) {
				delete.executeUpdate("DELETE FROM " + table);
				insert.setLong(1, version);
				insert.setString(2, historyHash);
				insert.setString(3, description.hash());
				insert.setInt(4, description.objects().size());
				insert.setTimestamp(5, Timestamp.from(now), HistoryTime.utcCalendar());
				insert.setString(6, (recordedBy.length() > 255) ? recordedBy.substring(0, 255) : recordedBy);
				insert.setString(7, description.serialize());
				insert.executeUpdate();
				connection.commit();
			}
			catch (SQLException ex) {
				DatabaseSessions.rollbackQuietly(connection);
				throw ex;
			}
			return new RecordSummary(version, historyHash, description.hash(), description.objects().size(), now,
					recordedBy);
		}
		finally {
			connection.setAutoCommit(autoCommit);
		}
	}

	/** A catalog lookup, so that a missing table does not abort the caller's transaction. */
	private boolean tableExists(Connection connection) {
		try {
			HistoryLocation.Resolved resolved = this.location.resolve(connection);
			try (PreparedStatement statement = connection.prepareStatement(
					"SELECT 1 FROM pg_catalog.pg_tables WHERE schemaname = ? AND tablename = ?")) {
				statement.setString(1, resolved.schema());
				statement.setString(2, TABLE.toLowerCase(java.util.Locale.ROOT));
				try (ResultSet row = statement.executeQuery()) {
					return row.next();
				}
			}
		}
		catch (SQLException ex) {
			rollbackUnlessAutoCommit(connection);
			return false;
		}
	}

	private static void rollbackUnlessAutoCommit(Connection connection) {
		try {
			if (!connection.getAutoCommit()) {
				connection.rollback();
			}
		}
		catch (SQLException ignored) {
			// The caller's next statement reports a broken connection.
		}
	}

	/**
	 * @param version goes up with every write
	 * @param historyHash the hash of the history the record belongs to (see
	 * {@link dev.lockstep.core.fingerprint.HistoryRows#hash()})
	 * @param descriptionHash the hash of the recorded description
	 * @param objects how many objects it holds
	 * @param recordedAt when it was written
	 * @param recordedBy who wrote it (the lock holder's name)
	 */
	public record RecordSummary(long version, String historyHash, String descriptionHash, int objects,
			Instant recordedAt, @Nullable String recordedBy) {
	}

}
