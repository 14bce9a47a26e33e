package dev.lockstep.core.lock;

import java.time.Duration;

/**
 * A held migration lock. Closing it releases the lock.
 */
public interface LockHandle extends AutoCloseable {

	/** How long the caller waited for another run before getting the lock. */
	Duration waited();

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
