package dev.lockstep.core.problem;

/**
 * The changelog is missing or cannot be parsed.
 */
public class ChangeLogException extends MigrationException {

	private final String changeLog;

	public ChangeLogException(String changeLog, String message, String action, Throwable cause) {
		super(message, action, cause);
		this.changeLog = changeLog;
	}

	public String changeLog() {
		return this.changeLog;
	}

}
