package dev.lockstep.core.problem;

/**
 * The changelog is missing or cannot be parsed.
 */
public class ChangeLogException extends MigrationException {

	private final String changeLog;

	public ChangeLogException(String changeLog, String message, String action, Throwable cause) {
		this(changeLog, Phrase.of(message), Phrase.of(action), cause);
	}

	public ChangeLogException(String changeLog, Phrase message, Phrase action, Throwable cause) {
		super(message, action, cause);
		this.changeLog = changeLog;
	}

	public String changeLog() {
		return this.changeLog;
	}

}
