package dev.lockstep.core.lock;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Map;

/**
 * PostgreSQL settings of the run session, set for the session alone ({@code set_config(..., false)}), each
 * only where the server knows it (through {@code pg_settings}, so one round trip on any version).
 */
final class RunSessionSettings {

	/**
	 * For the run session: it holds the lock and applies. The timeouts that end idle sessions are switched off
	 * (a run is idle between statements, e.g. in a Java changeset, and ending it would end the run); keepalives find
	 * a lost client within about 25 s instead of two hours; {@code client_connection_check_interval} (PostgreSQL 14)
	 * ends a killed run's statement, and frees its lock, within a quarter of a second.
	 */
	static final Map<String, String> RUN = Map.of("idle_session_timeout", "0", "idle_in_transaction_session_timeout",
			"0", "tcp_keepalives_idle", "10", "tcp_keepalives_interval", "5", "tcp_keepalives_count", "3",
			"client_connection_check_interval", "250ms");

	private RunSessionSettings() {
	}

	static void applyToRunSession(Connection connection) {
		apply(connection, RUN);
	}

	private static void apply(Connection connection, Map<String, String> settings) {
		StringBuilder cases = new StringBuilder();
		StringBuilder names = new StringBuilder();
		settings.forEach((name, value) -> {
			cases.append(" WHEN '").append(name).append("' THEN '").append(value).append('\'');
			names.append((names.length() > 0) ? ", '" : "'").append(name).append('\'');
		});
		String sql = "SELECT set_config(name, CASE name" + cases + " END, false) FROM pg_settings WHERE name IN ("
				+ names + ")";
		try (PreparedStatement statement = connection.prepareStatement(sql)) {
			statement.execute();
		}
		catch (SQLException ex) {
			// One setting refused (e.g. client_connection_check_interval on a platform without it, keepalives behind
			// some proxies): set the others one by one.
			settings.forEach((name, value) -> setQuietly(connection, name, value));
		}
	}

	private static void setQuietly(Connection connection, String name, String value) {
		try (Statement statement = connection.createStatement()) {
			statement.execute("SET " + name + " = '" + value + "'");
		}
		catch (SQLException ex) {
			// Unknown on this server, or refused: the run works without it.
		}
	}

}
