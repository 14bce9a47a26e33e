package dev.lockstep.core.test;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;

import dev.lockstep.core.lock.LockKey;

/**
 * Lockstep's advisory lock held by the test, as another instance's run would hold it.
 */
public final class HeldLock implements AutoCloseable {

	public static final LockKey KEY = LockKey.forSchema("public");

	private final Connection connection;

	private HeldLock(Connection connection) {
		this.connection = connection;
	}

	public static HeldLock take(TestDatabase db) {
		try {
			Connection connection = db.connect();
			connection.setClientInfo("ApplicationName", "test-holder");
			try (PreparedStatement statement = connection.prepareStatement("SELECT pg_try_advisory_lock(?)")) {
				statement.setLong(1, KEY.value());
				try (ResultSet rows = statement.executeQuery()) {
					rows.next();
					if (!rows.getBoolean(1)) {
						connection.close();
						throw new IllegalStateException("The lock is held by someone else");
					}
				}
			}
			return new HeldLock(connection);
		}
		catch (SQLException ex) {
			throw new IllegalStateException(ex);
		}
	}

	/** Whether anybody holds the lock on the database. */
	public static boolean isHeld(TestDatabase db) {
		return db.count("SELECT count(*) FROM pg_locks WHERE granted AND " + KEY.pgLocksCondition()) > 0;
	}

	@Override
	public void close() {
		try {
			this.connection.close();
		}
		catch (SQLException ex) {
			// Closing the session releases the lock.
		}
	}

}
