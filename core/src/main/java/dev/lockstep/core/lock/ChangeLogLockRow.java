package dev.lockstep.core.lock;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;

import org.jspecify.annotations.Nullable;

import dev.lockstep.core.api.LockHolder;
import dev.lockstep.core.jdbc.HistoryTime;

/**
 * Reads Liquibase's own lock row, DATABASECHANGELOGLOCK, with plain SQL (never creating the table).
 */
public final class ChangeLogLockRow {

	/** Marks a row taken by Lockstep, which holds the advisory lock whenever it holds the row. */
	static final String MARKER = "[lockstep]";

	private ChangeLogLockRow() {
	}

	/**
	 * @param table the lock table's qualified name, see {@link dev.lockstep.core.jdbc.HistoryLocation#table}
	 * @return who holds the row, or {@code null} when it is free or there is no lock table
	 */
	public static @Nullable LockHolder read(Connection connection, String table) {
		boolean autoCommit = true;
		try {
			autoCommit = connection.getAutoCommit();
			try (Statement statement = connection.createStatement();
					ResultSet rows = statement.executeQuery(
							"SELECT LOCKED, LOCKEDBY, LOCKGRANTED FROM " + table + " WHERE ID = 1")) {
				if (!rows.next() || !rows.getBoolean(1)) {
					return null;
				}
				// Liquibase fills LOCKGRANTED with the session's NOW(): UTC in Lockstep's sessions (HistoryTime).
				return new LockHolder(String.valueOf(rows.getString(2)), null, null,
						HistoryTime.fromStored(rows.getObject(3, java.time.LocalDateTime.class)), "changelog-lock-row");
			}
		}
		catch (SQLException ex) {
			// No lock table yet: nobody holds it.
			if (!autoCommit) {
				rollbackQuietly(connection);
			}
			return null;
		}
	}

	/**
	 * Unlocks Liquibase's row if a Lockstep run holds it; a row held by any other Liquibase client stays as it is.
	 * Called by the holder of the advisory lock at the end of its run: no other live Lockstep run can hold the row
	 * then, so a marked row is this run's own, left behind when Liquibase skipped its release (its lock command step
	 * keeps per-JVM state that a concurrent Liquibase command in the same JVM overwrites).
	 * @return whether a row was unlocked
	 */
	public static boolean releaseIfHeldByLockstep(Connection connection, String table) {
		try {
			boolean autoCommit = connection.getAutoCommit();
			if (!autoCommit) {
				connection.rollback();
			}
			int updated;
			try (Statement statement = connection.createStatement()) {
				updated = statement.executeUpdate("UPDATE " + table
						+ " SET LOCKED = FALSE, LOCKGRANTED = NULL, LOCKEDBY = NULL WHERE ID = 1 AND LOCKED = TRUE "
						+ "AND LOCKEDBY LIKE '%" + MARKER + "%'");
			}
			if (!autoCommit) {
				connection.commit();
			}
			return updated > 0;
		}
		catch (SQLException ex) {
			// No lock table (the run never got that far) or a broken connection: the next run takes the row over.
			rollbackQuietly(connection);
			return false;
		}
	}

	private static void rollbackQuietly(Connection connection) {
		try {
			connection.rollback();
		}
		catch (SQLException ex) {
			// The caller's next statement reports a broken connection.
		}
	}

}
