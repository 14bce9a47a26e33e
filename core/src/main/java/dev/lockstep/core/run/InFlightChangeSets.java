package dev.lockstep.core.run;

import java.sql.Connection;
import java.sql.DatabaseMetaData;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

import liquibase.changelog.ChangeSet;

import org.jspecify.annotations.Nullable;

import dev.lockstep.core.jdbc.HistoryLocation;
import dev.lockstep.core.jdbc.HistoryTime;

/**
 * Records, committed and beside Liquibase's history ({@code LOCKSTEP_IN_FLIGHT}), the changesets that cannot be
 * atomic ({@code runInTransaction: false}) while they run, so that the next run can tell that a run died in the
 * middle of one. A row is written before such a changeset starts and deleted in the transaction that writes (or,
 * for a rollback, deletes) its history row. The table is created the first time a run needs it.
 */
public final class InFlightChangeSets {

	public static final String TABLE = "LOCKSTEP_IN_FLIGHT";

	/** Where the history lives, as the database resolves it: the table sits beside it. */
	private final HistoryLocation location;

	private volatile boolean created;

	public InFlightChangeSets(HistoryLocation location) {
		this.location = location;
	}

	private String table(Connection connection) {
		return this.location.table(connection, TABLE);
	}

	/** Records that the changeset is about to be applied or rolled back, and commits that. */
	void record(Connection connection, ChangeSet changeSet, Operation operation, String recordedBy)
			throws SQLException {
		boolean autoCommit = connection.getAutoCommit();
		try {
			if (!this.created) {
				try (Statement statement = connection.createStatement()) {
					statement.execute("CREATE TABLE IF NOT EXISTS " + table(connection) + " (OPERATION VARCHAR(20) NOT NULL, "
							+ "ID VARCHAR(255) NOT NULL, AUTHOR VARCHAR(255) NOT NULL, FILENAME VARCHAR(255) NOT NULL, "
							+ "STARTED_AT TIMESTAMP NOT NULL, RECORDED_BY VARCHAR(255))");
				}
			}
			delete(connection, changeSet.getId(), changeSet.getAuthor(), changeSet.getFilePath());
			try (PreparedStatement insert = connection.prepareStatement("INSERT INTO " + table(connection)
					+ " (OPERATION, ID, AUTHOR, FILENAME, STARTED_AT, RECORDED_BY) VALUES (?, ?, ?, ?, ?, ?)")) {
				insert.setString(1, operation.name());
				insert.setString(2, changeSet.getId());
				insert.setString(3, changeSet.getAuthor());
				insert.setString(4, changeSet.getFilePath());
				insert.setTimestamp(5, Timestamp.from(Instant.now()), HistoryTime.utcCalendar());
				insert.setString(6, truncate(recordedBy));
				insert.executeUpdate();
			}
			if (!autoCommit) {
				connection.commit();
			}
			this.created = true;
		}
		catch (SQLException ex) {
			if (!autoCommit) {
				connection.rollback();
			}
			throw ex;
		}
	}

	/** Deletes the changeset's row in the connection's current transaction (not committed here). */
	void clear(Connection connection, ChangeSet changeSet) throws SQLException {
		delete(connection, changeSet.getId(), changeSet.getAuthor(), changeSet.getFilePath());
	}

	/** Deletes one recorded row in the connection's current transaction (not committed here). */
	void clear(Connection connection, InFlightChangeSet changeSet) throws SQLException {
		delete(connection, changeSet.id(), changeSet.author(), changeSet.changeLog());
	}

	/**
	 * The recorded rows: changesets a run started and did not finish. Empty when the table does not exist (no run
	 * has had a changeset that needs it).
	 */
	List<InFlightChangeSet> read(Connection connection) throws SQLException {
		if (!exists(connection)) {
			return List.of();
		}
		List<InFlightChangeSet> rows = new ArrayList<>();
		try (Statement statement = connection.createStatement();
				ResultSet row = statement.executeQuery("SELECT OPERATION, ID, AUTHOR, FILENAME, STARTED_AT, RECORDED_BY "
						+ "FROM " + table(connection) + " ORDER BY STARTED_AT")) {
			while (row.next()) {
				rows.add(new InFlightChangeSet(Operation.valueOf(row.getString(1)), row.getString(2), row.getString(3),
						row.getString(4), row.getTimestamp(5, HistoryTime.utcCalendar()).toInstant(), row.getString(6)));
			}
		}
		this.created = true;
		return rows;
	}

	private void delete(Connection connection, String id, String author, String fileName) throws SQLException {
		try (PreparedStatement delete = connection.prepareStatement(
				"DELETE FROM " + table(connection) + " WHERE ID = ? AND AUTHOR = ? AND FILENAME = ?")) {
			delete.setString(1, id);
			delete.setString(2, author);
			delete.setString(3, fileName);
			delete.executeUpdate();
		}
	}

	/** Asks the catalog (not a failing query, which would abort PostgreSQL's open transaction). */
	private boolean exists(Connection connection) throws SQLException {
		DatabaseMetaData metaData = connection.getMetaData();
		HistoryLocation.Resolved resolved = this.location.resolve(connection);
		// A resolved PostgreSQL name is exact; a configured one is folded as the database stores names.
		String schema = resolved.quoted() ? resolved.schema() : identifier(metaData, resolved.schema());
		try (ResultSet tables = metaData.getTables(null, schema,
				identifier(metaData, TABLE), new String[] { "TABLE" })) {
			while (tables.next()) {
				if (TABLE.equalsIgnoreCase(tables.getString("TABLE_NAME"))) {
					return true;
				}
			}
			return false;
		}
	}

	private static @Nullable String identifier(DatabaseMetaData metaData, String name) throws SQLException {
		if (name == null) {
			return null;
		}
		if (metaData.storesLowerCaseIdentifiers()) {
			return name.toLowerCase(Locale.ROOT);
		}
		if (metaData.storesUpperCaseIdentifiers()) {
			return name.toUpperCase(Locale.ROOT);
		}
		return name;
	}


	private static String truncate(String text) {
		return (text == null || text.length() <= 255) ? text : text.substring(0, 255);
	}

	/** What the run was doing to the changeset. */
	public enum Operation {

		APPLY, ROLLBACK

	}

	/**
	 * A changeset a run started and did not finish.
	 * @param operation applying it or rolling it back
	 * @param id changeset id
	 * @param author changeset author
	 * @param changeLog the file that declares it, as Liquibase records it
	 * @param startedAt when the run started it
	 * @param recordedBy the run that started it (application, pid, host)
	 */
	public record InFlightChangeSet(Operation operation, String id, String author, String changeLog,
			Instant startedAt, String recordedBy) {

		public String describe() {
			return this.id + "::" + this.author + " (" + this.changeLog + ")";
		}

	}

}
