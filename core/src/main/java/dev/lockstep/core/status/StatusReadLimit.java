package dev.lockstep.core.status;

import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;

import org.jspecify.annotations.Nullable;

import dev.lockstep.core.jdbc.DatabaseSessions;

/**
 * Bounds how long one query of a status read may take, so that a read never hangs on a lost host, a failover or
 * a lock on the history table: on PostgreSQL a {@code statement_timeout} (the server cancels the query and says
 * so), and on every driver a network timeout a little longer (the client gives up on a silent connection).
 * <p>
 * Status connections may come from a pool (a {@code @MigrationsDataSource} bean): the limits are taken off again
 * before the connection is closed.
 */
public final class StatusReadLimit {

	/** Default bound of one status query. */
	public static final Duration DEFAULT = Duration.ofSeconds(10);

	/** How much longer the client waits than the server's own timeout, so that the server's clear error wins. */
	private static final Duration NETWORK_MARGIN = Duration.ofSeconds(5);

	private final Duration timeout;

	public StatusReadLimit(@Nullable Duration timeout) {
		this.timeout = (timeout != null) ? timeout : DEFAULT;
	}

	Duration timeout() {
		return this.timeout;
	}

	/** Applies the limits to a connection about to read the status. */
	public void apply(Connection connection) {
		if (this.timeout.isZero() || this.timeout.isNegative()) {
			return;
		}
		networkTimeout(connection, (int) Math.min(Integer.MAX_VALUE, this.timeout.plus(NETWORK_MARGIN).toMillis()));
		if (DatabaseSessions.isPostgres(connection)) {
			execute(connection, "SET statement_timeout = " + Math.max(1, this.timeout.toMillis()));
		}
	}

	/** Takes the limits off again, for a connection that may go back to a pool. */
	public void release(Connection connection) {
		if (connection == null || this.timeout.isZero() || this.timeout.isNegative()) {
			return;
		}
		try {
			if (connection.isClosed()) {
				return;
			}
		}
		catch (SQLException ex) {
			return;
		}
		if (DatabaseSessions.isPostgres(connection)) {
			try {
				if (!connection.getAutoCommit()) {
					// The read left at most a read-only transaction; an aborted one would refuse the RESET.
					connection.rollback();
				}
			}
			catch (SQLException ex) {
				return;
			}
			execute(connection, "RESET statement_timeout");
		}
		networkTimeout(connection, 0);
	}

	private static void networkTimeout(Connection connection, int millis) {
		try {
			connection.setNetworkTimeout(Runnable::run, millis);
		}
		catch (SQLException | RuntimeException | AbstractMethodError ex) {
			// Drivers without network timeouts: the server-side timeout (where there is one) still applies.
		}
	}

	private static void execute(Connection connection, String sql) {
		try (Statement statement = connection.createStatement()) {
			statement.execute(sql);
			if (!connection.getAutoCommit()) {
				connection.commit();
			}
		}
		catch (SQLException ex) {
			// A broken connection: the read that follows reports it.
		}
	}

}
