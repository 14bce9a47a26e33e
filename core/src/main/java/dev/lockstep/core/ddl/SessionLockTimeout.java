package dev.lockstep.core.ddl;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Sets {@code lock_timeout} on the run's session for as long as its changesets run, and puts the previous value
 * back afterwards (the session may go back to a pool).
 * <p>
 * Set for the session rather than {@code SET LOCAL} per changeset: it then bounds every statement a changeset runs,
 * in a transaction or not ({@code runInTransaction: false}), without hooking into each transaction Liquibase opens
 * and commits. The setting is committed at once, so that a changeset's rollback does not undo it.
 */
public final class SessionLockTimeout implements AutoCloseable {

	private static final Logger logger = LoggerFactory.getLogger("dev.lockstep.Migrations");

	private final Connection connection;

	private final String previous;

	private SessionLockTimeout(Connection connection, String previous) {
		this.connection = connection;
		this.previous = previous;
	}

	/**
	 * Sets the lock timeout on the session until {@link #close()}.
	 * @param connection the run's session
	 * @param timeout the lock timeout, more than zero
	 * @return what puts the previous value back
	 * @throws SQLException when the session refuses it
	 */
	public static SessionLockTimeout set(Connection connection, Duration timeout) throws SQLException {
		String previous = setConfig(connection, Math.max(1, timeout.toMillis()) + "ms");
		return new SessionLockTimeout(connection, previous);
	}

	@Override
	public void close() {
		try {
			setConfig(this.connection, this.previous);
		}
		catch (SQLException ex) {
			// The session is broken (it ends with the run) or refuses: nothing else uses it after the run.
			logger.debug("Could not put lock_timeout back to {}: {}", this.previous, ex.getMessage());
		}
	}

	/** Sets the value for the session, committed, and returns the one before. */
	private static String setConfig(Connection connection, String value) throws SQLException {
		String previous;
		try (PreparedStatement statement = connection
			.prepareStatement("SELECT current_setting('lock_timeout'), set_config('lock_timeout', ?, false)")) {
			statement.setString(1, value);
			try (ResultSet rows = statement.executeQuery()) {
				rows.next();
				previous = rows.getString(1);
			}
		}
		if (!connection.getAutoCommit()) {
			connection.commit();
		}
		return previous;
	}

}
