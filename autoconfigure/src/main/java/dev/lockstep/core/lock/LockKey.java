package dev.lockstep.core.lock;

import java.util.Locale;

/**
 * The two-part PostgreSQL advisory lock key of one migration history. Instances share a lock exactly when they
 * share a history table, so two services with separate schemas in one database never wait for each other.
 *
 * @param classId fixed first key, "LKST"
 * @param objectId hash of the history location, never negative
 */
public record LockKey(int classId, int objectId) {

	static final int LOCKSTEP_CLASS_ID = 0x4C4B5354;

	public static LockKey forHistory(String historySchema, String lockTable) {
		String location = ((historySchema != null) ? historySchema : "") + "." + lockTable;
		return new LockKey(LOCKSTEP_CLASS_ID, location.toLowerCase(Locale.ROOT).hashCode() & 0x7fffffff);
	}

	/** Application name of the connection that applies changesets under this key. */
	public String runConnectionName() {
		return "lockstep-run:" + Integer.toHexString(this.objectId);
	}

}
