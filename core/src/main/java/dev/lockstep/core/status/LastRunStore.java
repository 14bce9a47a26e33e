package dev.lockstep.core.status;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.sql.Timestamp;
import java.time.Duration;

import org.jspecify.annotations.Nullable;

import dev.lockstep.core.api.MigrationMode;
import dev.lockstep.core.api.RunOutcome;
import dev.lockstep.core.api.RunResult;
import dev.lockstep.core.jdbc.HistoryLocation;
import dev.lockstep.core.jdbc.HistoryTime;
import dev.lockstep.core.problem.DatabaseErrors;

/**
 * Records the last run that held the lock in a one-row table beside Liquibase's history
 * ({@code LOCKSTEP_LAST_RUN}), so every instance, whatever its mode, can tell that the last apply failed and why.
 * Liquibase's own history records only successful changesets. Its times are UTC, whatever the recording JVM's
 * time zone. Its error never holds row data (see {@link DatabaseErrors}), also when an older version recorded it.
 */
public final class LastRunStore {

	public static final String TABLE = "LOCKSTEP_LAST_RUN";

	private static final int MAX_ERROR_LENGTH = 4000;

	private final HistoryLocation location;

	/** @param location the history's location: this table lives beside it */
	public LastRunStore(HistoryLocation location) {
		this.location = location;
	}

	/**
	 * Replaces the recorded run. Called by the lock holder only, so a plain delete and insert is enough.
	 */
	public void record(Connection connection, RunResult run, String recordedBy) throws SQLException {
		String table = this.location.table(connection, TABLE);
		boolean autoCommit = connection.getAutoCommit();
		try {
			connection.setAutoCommit(true);
			try (Statement statement = connection.createStatement()) {
				statement.execute("CREATE TABLE IF NOT EXISTS " + table
						+ " (ID INT NOT NULL PRIMARY KEY, MODE VARCHAR(20), OUTCOME VARCHAR(20) NOT NULL, "
						+ "STARTED_AT TIMESTAMP NOT NULL, FINISHED_AT TIMESTAMP NOT NULL, APPLIED INT NOT NULL, "
						+ "ERROR VARCHAR(" + MAX_ERROR_LENGTH + "), RECORDED_BY VARCHAR(255))");
			}
			connection.setAutoCommit(false);
			try (Statement delete = connection.createStatement();
					PreparedStatement insert = connection.prepareStatement("INSERT INTO " + table
							+ " (ID, MODE, OUTCOME, STARTED_AT, FINISHED_AT, APPLIED, ERROR, RECORDED_BY) "
							+ "VALUES (1, ?, ?, ?, ?, ?, ?, ?)")) {
				delete.executeUpdate("DELETE FROM " + table);
				insert.setString(1, run.mode().value());
				insert.setString(2, run.outcome().name());
				insert.setTimestamp(3, Timestamp.from(run.startedAt()), HistoryTime.utcCalendar());
				insert.setTimestamp(4, Timestamp.from(run.finishedAt()), HistoryTime.utcCalendar());
				insert.setInt(5, run.applied());
				insert.setString(6, truncate(DatabaseErrors.withoutRowData(run.error()), MAX_ERROR_LENGTH));
				insert.setString(7, truncate(recordedBy, 255));
				insert.executeUpdate();
				connection.commit();
			}
			catch (SQLException ex) {
				connection.rollback();
				throw ex;
			}
		}
		finally {
			connection.setAutoCommit(autoCommit);
		}
	}

	/**
	 * The recorded run, or {@code null} when none was recorded (or the table cannot be read).
	 */
	public @Nullable RunResult read(Connection connection) {
		try {
			String table = this.location.table(connection, TABLE);
			boolean autoCommit = connection.getAutoCommit();
			try (Statement statement = connection.createStatement();
					ResultSet row = statement.executeQuery("SELECT MODE, OUTCOME, STARTED_AT, FINISHED_AT, APPLIED, "
							+ "ERROR FROM " + table + " WHERE ID = 1")) {
				if (!row.next()) {
					return null;
				}
				MigrationMode mode = (row.getString(1) != null)
						? MigrationMode.valueOf(row.getString(1).toUpperCase(java.util.Locale.ROOT))
						: MigrationMode.APPLY;
				return new RunResult(mode, row.getTimestamp(3, HistoryTime.utcCalendar()).toInstant(), row.getTimestamp(4, HistoryTime.utcCalendar()).toInstant(),
						row.getInt(5), RunOutcome.valueOf(row.getString(2)),
						DatabaseErrors.withoutRowData(row.getString(6)), Duration.ZERO);
			}
			catch (SQLException ex) {
				if (!autoCommit) {
					connection.rollback();
				}
				return null;
			}
		}
		catch (SQLException | IllegalArgumentException ex) {
			return null;
		}
	}

	/**
	 * The columns are plain TIMESTAMPs (portable across databases) holding UTC: without an explicit calendar the
	 * driver would use each JVM's default time zone, and instances in different zones would read another's run
	 * hours off (and might take an older run for the newest).
	 */

	private static String truncate(String text, int length) {
		return (text == null || text.length() <= length) ? text : text.substring(0, length);
	}

}
