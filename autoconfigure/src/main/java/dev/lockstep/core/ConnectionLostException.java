package dev.lockstep.core;

import java.sql.SQLException;
import java.util.Set;

/**
 * The connection to the database was lost in the middle of a run: the database restarted, the network dropped or
 * stopped carrying the connection, or its session was ended. Nothing is wrong with the changesets: starting again
 * applies what is still pending.
 */
public class ConnectionLostException extends MigrationException {

	/** Server shutting down or crashed, session terminated by an administrator, server starting up. */
	private static final Set<String> SESSION_ENDED_STATES = Set.of("57P01", "57P02", "57P03");

	private final String reason;

	private final ChangeSetRef changeSet;

	private final int appliedBefore;

	public ConnectionLostException(String reason, ChangeSetRef changeSet, int appliedBefore, boolean inTransaction,
			Throwable cause) {
		super(message(reason, changeSet, appliedBefore, inTransaction),
				"Start again once the database is reachable: the changesets still pending are applied then, and "
						+ "none is applied twice.",
				cause);
		this.reason = reason;
		this.changeSet = changeSet;
		this.appliedBefore = appliedBefore;
	}

	/** The run's failure, with the changeset it was applying when the connection was lost, if any. */
	public static ConnectionLostException of(String reason, MigrationException failure) {
		if (failure instanceof ConnectionLostException lost) {
			return lost;
		}
		if (failure instanceof ChangeSetFailedException changeSetFailed) {
			return new ConnectionLostException(reason, changeSetFailed.changeSet(), changeSetFailed.appliedBefore(),
					changeSetFailed.rolledBack(), failure);
		}
		return new ConnectionLostException(reason, null, 0, true, failure);
	}

	/**
	 * What the driver reported if the failure is a lost connection (a broken connection, the server shutting down
	 * or ending the session), else {@code null}.
	 */
	public static String connectionFailure(Throwable failure) {
		for (Throwable cause = failure; cause != null; cause = (cause.getCause() != cause) ? cause.getCause() : null) {
			if (cause instanceof SQLException sql && sql.getSQLState() != null) {
				String state = sql.getSQLState();
				String text = firstLine(sql.getMessage());
				if (SESSION_ENDED_STATES.contains(state)) {
					return "the database ended the session: " + text;
				}
				if (state.startsWith("08")) {
					return "the connection broke: " + text;
				}
			}
		}
		return null;
	}

	private static String message(String reason, ChangeSetRef changeSet, int appliedBefore, boolean inTransaction) {
		StringBuilder message = new StringBuilder("The connection to the database was lost in the middle of the run (")
			.append(reason)
			.append(").");
		if (changeSet != null) {
			message.append("\nChangeset ")
				.append(changeSet.id())
				.append("::")
				.append(changeSet.author())
				.append(" in ")
				.append(changeSet.changeLog())
				.append(" was in progress; ")
				.append(appliedBefore)
				.append(" changeset(s) of this run were applied before it and stay applied. ")
				.append(inTransaction
						? "It ran in one transaction: the database rolled it back (unless its commit had already "
								+ "arrived, then it is recorded as applied), so it is never half-done."
						: "It did not run in a transaction (runInTransaction: false): check for partial changes "
								+ "before starting again.");
		}
		else {
			message.append("\nChangesets applied before stay applied; one in progress was rolled back by the database "
					+ "if it ran in a transaction.");
		}
		return message.toString();
	}

	private static String firstLine(String text) {
		if (text == null) {
			return "no message";
		}
		int end = text.indexOf('\n');
		return ((end >= 0) ? text.substring(0, end) : text).strip();
	}

	/** What happened to the connection. */
	public String reason() {
		return this.reason;
	}

	/** The changeset that was being applied, or {@code null}. */
	public ChangeSetRef changeSet() {
		return this.changeSet;
	}

	public int appliedBefore() {
		return this.appliedBefore;
	}

}
