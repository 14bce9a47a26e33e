package dev.lockstep.core.api;

/** What a drift check could tell. */
public enum DriftState {

	/** The live schema is what the migrations made (ignored objects aside). */
	CLEAN,

	/** Objects differ: see the report's objects. */
	DRIFT,

	/**
	 * Nothing to compare with: no change was recorded by a Lockstep run yet (a database migrated before Lockstep, or
	 * adopted with baseline). {@code migrations diff --against=changelog --record} establishes the record.
	 */
	NO_RECORD,

	/**
	 * The history changed after the record was made (a run outside Lockstep, or a run that ended before it could
	 * record): the record no longer says what the migrations made. The next run that changes the schema records
	 * again; so does {@code migrations diff --against=changelog --record}.
	 */
	STALE_RECORD,

	/** A migration run held the lock while the schema was read: nothing is reported until it ends. */
	RUN_IN_PROGRESS,

	/** Drift is read from PostgreSQL's catalog: other databases are not compared. */
	UNSUPPORTED,

	/** {@code migrations.drift.enabled=false}. */
	DISABLED,

	/** The catalog could not be read; see the report's message. */
	UNAVAILABLE;

	/** Whether the report says something about the schema (clean or drifted), rather than why it cannot. */
	public boolean isConclusive() {
		return this == CLEAN || this == DRIFT;
	}

}
