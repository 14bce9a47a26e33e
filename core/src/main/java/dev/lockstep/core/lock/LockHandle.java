package dev.lockstep.core.lock;

import java.sql.Connection;
import java.time.Duration;

/**
 * A held migration lock, tied to the session that took it. Closing it releases the lock and closes the session.
 */
public interface LockHandle extends AutoCloseable {

	/** How long the caller waited for another run before getting the lock. */
	Duration waited();

	/**
	 * The session that holds the lock, on which all of the run's work happens (so that, where the lock lives in
	 * the session, the work ends when the lock does). Owned by the handle: {@link #close()} closes it.
	 */
	Connection session();

	/** Releases the lock and closes {@link #session()}; never throws. */
	@Override
	void close();

	/**
	 * Gives the lock's session up without talking to the database, when the connection to it is lost. Called from
	 * another thread than the run's; {@link #close()} still follows.
	 */
	void abandon();

}
