package dev.lockstep.core.problem;

/**
 * The database cannot be reached or read.
 */
public class DatabaseUnavailableException extends MigrationException {

	public DatabaseUnavailableException(String url, Throwable cause) {
		super("Cannot read the database at " + url + ": " + rootMessage(cause),
				"Check that the database is running and reachable, and the URL and credentials "
						+ "(migrations.url/user/password, or spring.datasource.*).",
				cause);
	}

	/** The root cause's message, without the row data a database may add to it (see {@link DatabaseErrors}). */
	public static String rootMessage(Throwable ex) {
		return DatabaseErrors.message(ex);
	}

}
