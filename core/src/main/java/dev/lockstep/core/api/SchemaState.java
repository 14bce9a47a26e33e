package dev.lockstep.core.api;

/**
 * Where the database schema stands relative to the changelog.
 */
public enum SchemaState {

	/** Every changeset the changelog selects is applied, nothing else. */
	UP_TO_DATE,

	/** At least one changeset is not applied yet. */
	PENDING,

	/** The database holds changesets this changelog does not know (e.g. after an application rollback). */
	AHEAD,

	/** An applied changeset was edited afterwards: its checksum differs. */
	DRIFTED,

	/**
	 * The live schema differs from what the migrations made (an index added by hand, a constraint dropped during
	 * an incident): see the drift report.
	 */
	SCHEMA_DRIFT,

	/** The last run failed. */
	FAILED,

	/** A run is in progress. */
	MIGRATING,

	/** The database could not be read. */
	UNAVAILABLE,

	/**
	 * Migrations are switched off ({@code migrations.enabled=false}): no run, no database access; the endpoint and
	 * the health contributor stay so that what names them keeps working.
	 */
	DISABLED

}
