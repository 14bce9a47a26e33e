package dev.lockstep.core.lock;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.sql.Timestamp;

import dev.lockstep.core.LockHolder;

/**
 * Reads Liquibase's own lock row, DATABASECHANGELOGLOCK, with plain SQL (never creating the table).
 */
public final class ChangeLogLockRow {

	/** Marks a row taken by Lockstep, which holds the advisory lock whenever it holds the row. */
	static final String MARKER = "[lockstep]";

	private ChangeLogLockRow() {
	}

	public static LockHolder read(Connection connection, String historySchema) {
		String table = ((historySchema != null) ? historySchema + "." : "") + "DATABASECHANGELOGLOCK";
		boolean autoCommit = true;
		try {
			autoCommit = connection.getAutoCommit();
			try (Statement statement = connection.createStatement();
					ResultSet rows = statement.executeQuery(
							"SELECT LOCKED, LOCKEDBY, LOCKGRANTED FROM " + table + " WHERE ID = 1")) {
				if (!rows.next() || !rows.getBoolean(1)) {
					return null;
				}
				Timestamp granted = rows.getTimestamp(3);
				return new LockHolder(String.valueOf(rows.getString(2)), null, null,
						(granted != null) ? granted.toInstant() : null, "changelog-lock-row");
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

	private static void rollbackQuietly(Connection connection) {
		try {
			connection.rollback();
		}
		catch (SQLException ex) {
			// The caller's next statement reports a broken connection.
		}
	}

}
