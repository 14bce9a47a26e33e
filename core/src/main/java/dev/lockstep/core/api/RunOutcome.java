package dev.lockstep.core.api;

/**
 * How a run ended.
 */
public enum RunOutcome {

	/** Changesets were applied (or there was nothing to do). */
	SUCCESS,

	/** The run failed; nothing after the failing changeset ran. */
	FAILED,

	/** The schema was checked and found acceptable without changing anything. */
	VALIDATED,

	/** The run refused to start the application: the schema does not match. */
	REFUSED

}
