package dev.lockstep.core;

import java.sql.Connection;
import java.sql.SQLException;

/**
 * Tells a failure that ended the session itself (and with it a session advisory lock) from one of a statement, by
 * SQLState, never by message text: class 08 (connection exception) and 57P01-57P03 (the server ended the session:
 * administrator command, crash shutdown, cannot connect now), or a connection that is closed.
 */
final class SessionLoss {

	private SessionLoss() {
	}

	/**
	 * The exception in the chain that says the session ended, or {@code null} when none does and the connection is
	 * still open.
	 */
	static Throwable find(Throwable failure, Connection connection) {
		Throwable lastSql = null;
		for (Throwable cause = failure; cause != null; cause = (cause.getCause() != cause) ? cause.getCause() : null) {
			if (cause instanceof SQLException sql) {
				lastSql = sql;
				if (endsSession(sql.getSQLState())) {
					return sql;
				}
			}
		}
		if (connection != null && isClosed(connection)) {
			return (lastSql != null) ? lastSql : failure;
		}
		return null;
	}

	static boolean endsSession(String sqlState) {
		return sqlState != null && (sqlState.startsWith("08") || sqlState.equals("57P01")
				|| sqlState.equals("57P02") || sqlState.equals("57P03"));
	}

	private static boolean isClosed(Connection connection) {
		try {
			return connection.isClosed();
		}
		catch (SQLException ex) {
			return true;
		}
	}

}
