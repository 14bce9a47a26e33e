package dev.lockstep.core.problem;

/**
 * A migration problem with a description of what went wrong and an action that fixes it.
 */
public class MigrationException extends RuntimeException {

	private final String action;

	public MigrationException(String message, String action, Throwable cause) {
		super(message, cause);
		this.action = action;
	}

	public MigrationException(String message, String action) {
		this(message, action, null);
	}

	/** What the user should do about it. */
	public String action() {
		return this.action;
	}

}
