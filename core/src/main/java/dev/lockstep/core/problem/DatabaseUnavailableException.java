package dev.lockstep.core.problem;

/**
 * The database cannot be reached or read.
 */
public class DatabaseUnavailableException extends MigrationException {

	private final String url;

	public DatabaseUnavailableException(String url, Throwable cause) {
		super(Phrase.of("Cannot read the database at " + url + ": " + rootMessage(cause)),
				(wording) -> "Check that the database is running and reachable, and the URL and credentials ("
						+ wording.setting(Wording.Setting.CONNECTION) + ").",
				cause);
		this.url = url;
	}

	/** The database's URL without credentials, as far as it is known. */
	public String url() {
		return this.url;
	}

	/** The root cause's message, without the row data a database may add to it (see {@link DatabaseErrors}). */
	public static String rootMessage(Throwable ex) {
		return DatabaseErrors.message(ex);
	}

}
