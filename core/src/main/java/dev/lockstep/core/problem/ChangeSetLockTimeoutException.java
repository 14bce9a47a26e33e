package dev.lockstep.core.problem;

import java.time.Duration;

import org.jspecify.annotations.Nullable;

import dev.lockstep.core.api.ChangeSetRef;

/**
 * A changeset waited for a lock longer than the lock timeout on every try: another session held a lock on what it
 * changes. Its transaction was rolled back each time, so that the application's queries never queued behind it.
 */
public class ChangeSetLockTimeoutException extends ChangeSetFailedException {

	private final @Nullable String blocker;

	private final int tries;

	/**
	 * @param changeSet the changeset
	 * @param databaseError the database's error of the last try
	 * @param appliedBefore changesets of this run applied before it
	 * @param rolledBack whether it ran in a transaction (rolled back each time)
	 * @param tries how often it was tried
	 * @param lockTimeout the lock timeout of each try
	 * @param blocker who held the lock it waited for last, or {@code null} when nobody was seen
	 * @param cause the last try's failure
	 */
	public ChangeSetLockTimeoutException(ChangeSetRef changeSet, String databaseError, int appliedBefore,
			boolean rolledBack, int tries, Duration lockTimeout, @Nullable String blocker, Throwable cause) {
		super(changeSet, databaseError, appliedBefore, rolledBack,
				Phrase.of(message(changeSet, appliedBefore, rolledBack, tries, lockTimeout, blocker)),
				(wording) -> "End that session's transaction (or wait until it ends), then start again; or raise "
						+ wording.setting(Wording.Setting.DDL_LOCK_TIMEOUT)
						+ ", or run the migration when traffic is low. The " + appliedBefore
						+ " changeset(s) applied before it stay applied.",
				cause);
		this.blocker = blocker;
		this.tries = tries;
	}

	private static String message(ChangeSetRef changeSet, int appliedBefore, boolean rolledBack, int tries,
			Duration lockTimeout, @Nullable String blocker) {
		return "Changeset " + changeSet.id() + "::" + changeSet.author() + " in " + changeSet.changeLog()
				+ " could not get a lock within the lock timeout (" + lockTimeout.toMillis() + " ms) in " + tries
				+ " tries; blocked by "
				+ ((blocker != null) ? blocker : "a session that was not seen (it held the lock only briefly)")
				+ ".\n" + appliedBefore + " changeset(s) of this run were applied before it. "
				+ (rolledBack ? "The changeset was rolled back each time: it left nothing behind."
						: "The changeset did not run in a transaction (runInTransaction: false): check for partial "
								+ "changes before retrying.");
	}

	/** Who held the lock, as described in the message, or {@code null} when nobody was seen. */
	public @Nullable String blocker() {
		return this.blocker;
	}

	public int tries() {
		return this.tries;
	}

}
