package dev.lockstep.core.lock;

import java.time.Duration;

import dev.lockstep.core.api.LockHolder;

/**
 * Told, every few seconds, who the caller is waiting for.
 */
@FunctionalInterface
public interface WaitObserver {

	WaitObserver NONE = (holder, waited) -> {
	};

	void stillWaiting(LockHolder holder, Duration waited);

}
