package dev.lockstep.core.lock;

import java.sql.Connection;
import java.sql.SQLException;
import java.time.Duration;

/**
 * A lock held for a run on a session of its own, on which the run does its work: what every lock's handle shares.
 * Subclasses release the lock and close the session in {@link #close()}.
 */
abstract class SessionLockHandle implements LockHandle {

	private final Connection connection;

	private final Duration waited;

	SessionLockHandle(Connection connection, Duration waited) {
		this.connection = connection;
		this.waited = waited;
	}

	@Override
	public final Duration waited() {
		return this.waited;
	}

	@Override
	public final Connection session() {
		return this.connection;
	}

	/** Closes the socket, which never blocks (an unlock on a blackholed connection would block forever). */
	@Override
	public final void abandon() {
		try {
			this.connection.abort(Runnable::run);
		}
		catch (SQLException ex) {
			// Already closed.
		}
	}

}
