package dev.lockstep.core.api;

/**
 * What a startup run is allowed to do.
 */
public enum MigrationMode {

	/** Apply pending changesets at startup, under the lock. */
	APPLY,

	/** Change nothing; refuse to start unless the schema matches the changelog exactly. */
	VALIDATE,

	/** Change nothing and never refuse to start; only report the state. */
	REPORT;

	/** The lower-case name used in properties, logs and JSON. */
	public String value() {
		return name().toLowerCase(java.util.Locale.ROOT);
	}

}
