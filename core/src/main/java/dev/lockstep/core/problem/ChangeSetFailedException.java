package dev.lockstep.core.problem;

import dev.lockstep.core.api.ChangeSetRef;

/**
 * A changeset failed while applying. The database's error never carries row data (see {@link DatabaseErrors}): this
 * message is recorded for every instance to show.
 */
public class ChangeSetFailedException extends MigrationException {

	private final ChangeSetRef changeSet;

	private final String databaseError;

	private final int appliedBefore;

	private final boolean rolledBack;

	public ChangeSetFailedException(ChangeSetRef changeSet, String databaseError, int appliedBefore,
			boolean rolledBack, Throwable cause) {
		super(message(changeSet, DatabaseErrors.withoutRowData(databaseError), appliedBefore, rolledBack),
				"Fix changeset " + changeSet.id() + "::" + changeSet.author() + " in " + changeSet.changeLog()
						+ " (or add a new changeset that corrects it) and start again; the " + appliedBefore
						+ " changeset(s) applied before it stay applied.",
				cause);
		this.changeSet = changeSet;
		this.databaseError = DatabaseErrors.withoutRowData(databaseError);
		this.appliedBefore = appliedBefore;
		this.rolledBack = rolledBack;
	}

	/** For failures that say more than the database's error (e.g. who held the lock it waited for). */
	protected ChangeSetFailedException(ChangeSetRef changeSet, String databaseError, int appliedBefore,
			boolean rolledBack, Phrase message, Phrase action, Throwable cause) {
		super(message, action, cause);
		this.changeSet = changeSet;
		this.databaseError = DatabaseErrors.withoutRowData(databaseError);
		this.appliedBefore = appliedBefore;
		this.rolledBack = rolledBack;
	}

	private static String message(ChangeSetRef changeSet, String databaseError, int appliedBefore,
			boolean rolledBack) {
		return "Changeset " + changeSet.id() + "::" + changeSet.author() + " in " + changeSet.changeLog()
				+ " failed: " + databaseError + "\n" + appliedBefore + " changeset(s) of this run were applied before it. "
				+ (rolledBack ? "The failed changeset ran in one transaction and was rolled back: it left nothing behind."
						: "The failed changeset did not run in a transaction (runInTransaction: false, or a database "
								+ "without transactional DDL): check for partial changes before retrying.");
	}

	public ChangeSetRef changeSet() {
		return this.changeSet;
	}

	public String databaseError() {
		return this.databaseError;
	}

	public int appliedBefore() {
		return this.appliedBefore;
	}

	public boolean rolledBack() {
		return this.rolledBack;
	}

}
