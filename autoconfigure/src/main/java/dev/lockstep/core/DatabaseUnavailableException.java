package dev.lockstep.core;

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

	static String rootMessage(Throwable ex) {
		Throwable root = ex;
		while (root.getCause() != null && root.getCause() != root) {
			root = root.getCause();
		}
		String message = root.getMessage();
		return (message != null) ? message.strip() : root.getClass().getSimpleName();
	}

}
