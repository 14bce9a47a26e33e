package dev.lockstep.core.problem;

import org.jspecify.annotations.Nullable;

/**
 * The changelog is missing or cannot be parsed.
 */
public class ChangeLogException extends MigrationException {

	private final String changeLog;

	public ChangeLogException(String changeLog, String message, String action, @Nullable Throwable cause) {
		this(changeLog, Phrase.of(message), Phrase.of(action), cause);
	}

	public ChangeLogException(String changeLog, Phrase message, Phrase action, @Nullable Throwable cause) {
		super(message, action, cause);
		this.changeLog = changeLog;
	}

	public String changeLog() {
		return this.changeLog;
	}

}
