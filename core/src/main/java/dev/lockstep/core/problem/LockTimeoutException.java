package dev.lockstep.core.problem;

import dev.lockstep.core.api.LockHolder;

/**
 * Another run held the migration lock for longer than the configured wait.
 */
public class LockTimeoutException extends MigrationException {

	private final LockHolder holder;

	public LockTimeoutException(String message, String action, LockHolder holder) {
		super(message, action);
		this.holder = holder;
	}

	public LockHolder holder() {
		return this.holder;
	}

}
