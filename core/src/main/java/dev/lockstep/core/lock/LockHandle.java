package dev.lockstep.core.lock;

import java.sql.Connection;
import java.time.Duration;

/**
 * A held migration lock. Closing it releases the lock.
 */
public interface LockHandle extends AutoCloseable {

	/** How long the caller waited for another run before getting the lock. */
	Duration waited();

	/**
	 * The session that holds the lock, on which all of the run's work must happen (so that the work ends when the
	 * lock does); {@code null} when the lock is not tied to a session and the run opens its own. Closing the handle
	 * closes it.
	 */
	default Connection session() {
		return null;
	}

	@Override
	void close();

	/**
	 * Gives the lock up without talking to the database, when the connection to it is lost: ending the lock's
	 * session releases it there. Called from another thread than the run's; {@link #close()} still follows. By
	 * default nothing.
	 */
	default void abandon() {
	}

}
