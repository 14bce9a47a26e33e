package dev.lockstep.core.lock;

import java.time.Duration;

import org.jspecify.annotations.Nullable;

import dev.lockstep.core.api.LockHolder;

/**
 * Told, every few seconds, who the caller is waiting for.
 */
@FunctionalInterface
public interface WaitObserver {

	/**
	 * @param holder who holds the lock, or {@code null} when that cannot be read (or it was just released)
	 * @param waited how long the caller has been waiting
	 */
	void stillWaiting(@Nullable LockHolder holder, Duration waited);

}
