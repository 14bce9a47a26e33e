package dev.lockstep.core.problem;

import org.jspecify.annotations.Nullable;

/**
 * A migration problem with a description of what went wrong and an action that fixes it.
 * <p>
 * Both may name settings, options or commands: {@link #getMessage()} and {@link #action()} phrase them
 * {@linkplain Wording#NEUTRAL neutrally}; an edge that knows their real names (a failure report, a command line)
 * phrases them with {@link #message(Wording)} and {@link #action(Wording)}.
 */
public class MigrationException extends RuntimeException {

	private final Phrase message;

	private final Phrase action;

	public MigrationException(Phrase message, Phrase action, @Nullable Throwable cause) {
		super(message.in(Wording.NEUTRAL), cause);
		this.message = message;
		this.action = action;
	}

	public MigrationException(String message, String action, @Nullable Throwable cause) {
		this(Phrase.of(message), Phrase.of(action), cause);
	}

	public MigrationException(String message, String action) {
		this(message, action, null);
	}

	public MigrationException(String message, Phrase action) {
		this(Phrase.of(message), action, null);
	}

	/** What the user should do about it. */
	public String action() {
		return this.action.in(Wording.NEUTRAL);
	}

	/** What went wrong, naming settings, options and commands as the given edge names them. */
	public String message(Wording wording) {
		return this.message.in(wording);
	}

	/** What the user should do about it, naming settings, options and commands as the given edge names them. */
	public String action(Wording wording) {
		return this.action.in(wording);
	}

}
