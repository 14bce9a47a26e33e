package dev.lockstep.core.lock;

import java.nio.charset.StandardCharsets;
import java.nio.ByteBuffer;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;

/**
 * The 64-bit PostgreSQL advisory lock key of one migration history: the first eight bytes of a SHA-256 over the
 * history's lock table as the database resolved it ({@code lockstep:<schema>.databasechangeloglock}). Instances
 * share a lock exactly when they share a history table (the database is part of an advisory lock's identity), so
 * two services with separate schemas in one database never wait for each other, and no two schema names collide in
 * practice.
 *
 * @param value the key passed to {@code pg_try_advisory_lock(bigint)}
 */
public record LockKey(long value) {

	/**
	 * @param resolvedSchema the history's schema exactly as the database names it (see
	 * {@link dev.lockstep.core.jdbc.HistoryLocation})
	 */
	public static LockKey forSchema(String resolvedSchema) {
		try {
			byte[] hash = MessageDigest.getInstance("SHA-256")
				.digest(("lockstep:" + resolvedSchema + ".databasechangeloglock").getBytes(StandardCharsets.UTF_8));
			return new LockKey(ByteBuffer.wrap(hash, 0, 8).getLong());
		}
		catch (NoSuchAlgorithmException ex) {
			throw new IllegalStateException("SHA-256 is part of every Java runtime", ex);
		}
	}

	/** The key's high 32 bits, as {@code pg_locks.classid} shows them (with {@code objsubid = 1}). */
	public int classId() {
		return (int) (this.value >>> 32);
	}

	/** The key's low 32 bits, as {@code pg_locks.objid} shows them. */
	public int objectId() {
		return (int) this.value;
	}

	/** The {@code pg_locks} condition that finds this lock, for diagnostics and tests. */
	public String pgLocksCondition() {
		return "locktype = 'advisory' AND classid = " + Integer.toUnsignedLong(classId()) + " AND objid = "
				+ Integer.toUnsignedLong(objectId()) + " AND objsubid = 1";
	}

}
