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

}
