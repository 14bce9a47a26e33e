package dev.lockstep.core.problem;

import org.jspecify.annotations.Nullable;

import dev.lockstep.core.api.ChangeSetRef;

/**
 * The session that held the migration lock, and did the run's work, ended while the run went on: the database
 * ended it (an operator's {@code pg_terminate_backend}, a timeout, a restart) or the connection broke. PostgreSQL
 * rolled back the open transaction, and the run could not commit anything more.
 */
public class MigrationLockLostException extends MigrationException {

	private final @Nullable ChangeSetRef changeSet;

	private final boolean rolledBack;

	private final int appliedBefore;

	private final String reason;

	/**
	 * @param changeSet the changeset in progress when the session ended, or {@code null} when none was
	 * @param rolledBack whether that changeset ran in one transaction (and so left nothing)
	 * @param appliedBefore changesets this run applied (and committed) before
	 * @param reason what happened to the session, e.g. "the database ended the run's session (FATAL: ...)"
	 */
	public MigrationLockLostException(@Nullable ChangeSetRef changeSet, boolean rolledBack, int appliedBefore,
			String reason,
			Throwable cause) {
		super(message(changeSet, rolledBack, appliedBefore, reason),
				"Find out what ended the session (server log, idle or connection timeouts of a proxy, an operator) "
						+ "and start again: the next start applies what is still pending.",
				cause);
		this.changeSet = changeSet;
		this.rolledBack = rolledBack;
		this.appliedBefore = appliedBefore;
		this.reason = reason;
	}

	/** The same loss, explained by what the run's watchdog saw (e.g. a connection that stopped answering). */
	public MigrationLockLostException because(String watchdogReason) {
		return new MigrationLockLostException(this.changeSet, this.rolledBack, this.appliedBefore, watchdogReason,
				getCause());
	}

	private static String message(ChangeSetRef changeSet, boolean rolledBack, int appliedBefore,
			String reason) {
		StringBuilder text = new StringBuilder("The migration lock was lost: ").append(reason)
			.append(", so this run stopped.");
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
	public @Nullable ChangeSetRef changeSet() {
		return this.changeSet;
	}

	public boolean rolledBack() {
		return this.rolledBack;
	}

	public int appliedBefore() {
		return this.appliedBefore;
	}

	/** What happened to the run's session. */
	public String reason() {
		return this.reason;
	}

}
