package dev.lockstep.core;

/**
 * The session that held the migration lock, and did the run's work, ended while the run went on: the database
 * ended it (an operator's {@code pg_terminate_backend}, a timeout, a restart) or the connection broke. PostgreSQL
 * rolled back the open transaction, and the run could not commit anything more.
 */
public class MigrationLockLostException extends MigrationException {

	private final ChangeSetRef changeSet;

	private final boolean rolledBack;

	private final int appliedBefore;

	private final String databaseMessage;

	/**
	 * @param changeSet the changeset in progress when the session ended, or {@code null} when none was
	 * @param rolledBack whether that changeset ran in one transaction (and so left nothing)
	 * @param appliedBefore changesets this run applied (and committed) before
	 * @param databaseMessage what the driver or the server said
	 */
	public MigrationLockLostException(ChangeSetRef changeSet, boolean rolledBack, int appliedBefore,
			String databaseMessage, Throwable cause) {
		super(message(changeSet, rolledBack, appliedBefore, databaseMessage),
				"Find out what ended the session (server log, idle or connection timeouts of a proxy, an operator) "
						+ "and start again: the next start applies what is still pending.",
				cause);
		this.changeSet = changeSet;
		this.rolledBack = rolledBack;
		this.appliedBefore = appliedBefore;
		this.databaseMessage = databaseMessage;
	}

	private static String message(ChangeSetRef changeSet, boolean rolledBack, int appliedBefore,
			String databaseMessage) {
		StringBuilder text = new StringBuilder("The migration lock was lost: the database ended the run's session (")
			.append(databaseMessage)
			.append("), so this run stopped.");
		if (changeSet != null) {
			text.append(" Changeset ").append(changeSet).append(" was in progress: ");
			text.append(rolledBack ? "it ran in one transaction and was rolled back, leaving nothing behind."
					: "it did not run in a transaction (runInTransaction: false), so what its statements had done "
							+ "before stays; it is not recorded and runs again.");
		}
		text.append(' ')
			.append(appliedBefore)
			.append(" changeset(s) of this run were applied before and stay applied. The next start applies what is "
					+ "still pending.");
		return text.toString();
	}

	/** The changeset in progress when the session ended, or {@code null}. */
	public ChangeSetRef changeSet() {
		return this.changeSet;
	}

	public boolean rolledBack() {
		return this.rolledBack;
	}

	public int appliedBefore() {
		return this.appliedBefore;
	}

	public String databaseMessage() {
		return this.databaseMessage;
	}

}
