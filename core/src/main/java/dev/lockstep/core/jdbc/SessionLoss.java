package dev.lockstep.core.jdbc;

import java.sql.Connection;
import java.sql.SQLException;

import org.jspecify.annotations.Nullable;

/**
 * Tells a failure that ended the session itself (and with it a session advisory lock) from one of a statement, by
 * SQLState, never by message text: class 08 (connection exception) and 57P01-57P03 (the server ended the session:
 * administrator command, crash shutdown, cannot connect now), or a connection that is closed.
 */
public final class SessionLoss {

	private SessionLoss() {
	}

	/**
	 * The exception in the chain that says the session ended, or {@code null} when none does and the connection is
	 * still open.
	 */
	public static @Nullable Throwable find(Throwable failure, @Nullable Connection connection) {
		Throwable lastSql = null;
		for (Throwable cause = failure; cause != null; cause = (cause.getCause() != cause) ? cause.getCause() : null) {
			if (cause instanceof SQLException sql) {
				lastSql = sql;
				// A changeset's own connection error (dblink, postgres_fdw) leaves the run's session usable.
				if (endsSession(sql.getSQLState()) && (connection == null || !isUsable(connection))) {
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

	/** What happened to the session, for the lock-lost message. */
	public static String describe(Throwable ended) {
		String message = (ended.getMessage() != null) ? firstLine(ended.getMessage())
				: ended.getClass().getSimpleName();
		String state = (ended instanceof SQLException sql) ? sql.getSQLState() : null;
		if (state != null && state.startsWith("57P")) {
			return "the database ended the run's session (" + message + ")";
		}
		return "the run's connection to the database broke (" + message + ")";
	}

	private static String firstLine(String text) {
		int end = text.indexOf('\n');
		return ((end >= 0) ? text.substring(0, end) : text).strip();
	}

	private static boolean isUsable(Connection connection) {
		try {
			return !connection.isClosed() && connection.isValid(5);
		}
		catch (SQLException ex) {
			return false;
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

}
