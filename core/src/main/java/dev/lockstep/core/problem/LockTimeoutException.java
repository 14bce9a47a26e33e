package dev.lockstep.core.problem;

import org.jspecify.annotations.Nullable;

import dev.lockstep.core.api.LockHolder;

/**
 * Another run held the migration lock for longer than the configured wait.
 */
public class LockTimeoutException extends MigrationException {

	private final @Nullable LockHolder holder;

	public LockTimeoutException(String message, String action, @Nullable LockHolder holder) {
		super(message, action);
		this.holder = holder;
	}

	public LockTimeoutException(String message, Phrase action, @Nullable LockHolder holder) {
		super(message, action);
		this.holder = holder;
	}

	public @Nullable LockHolder holder() {
		return this.holder;
	}

}
