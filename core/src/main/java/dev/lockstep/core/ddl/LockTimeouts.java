package dev.lockstep.core.ddl;

import java.sql.SQLException;
import java.time.Duration;
import java.util.concurrent.ThreadLocalRandom;

/**
 * What a lock timeout looks like, and how long to pause before a changeset that hit one is tried again.
 */
public final class LockTimeouts {

	/** PostgreSQL's {@code lock_not_available}: raised when {@code lock_timeout} ends a lock wait. */
	public static final String LOCK_NOT_AVAILABLE = "55P03";

	static final Duration FIRST_PAUSE = Duration.ofMillis(500);

	static final Duration LONGEST_PAUSE = Duration.ofSeconds(10);

	/** Each pause is up to this share longer or shorter, so that instances that collided do not collide again. */
	static final double JITTER = 0.25;

	private LockTimeouts() {
	}

	/** Whether a lock timeout ({@code 55P03}) is anywhere in the failure's cause chain. */
	public static boolean isLockTimeout(Throwable failure) {
		for (Throwable cause = failure; cause != null; cause = (cause.getCause() != cause) ? cause.getCause() : null) {
			if (cause instanceof SQLException sql) {
				for (SQLException next = sql; next != null; next = next.getNextException()) {
					if (LOCK_NOT_AVAILABLE.equals(next.getSQLState())) {
						return true;
					}
				}
			}
		}
		return false;
	}

	/**
	 * The pause before the given retry: 0.5 s doubling up to 10 s, each ±25 %.
	 * @param retry the retry about to be made, from 1
	 * @return how long to pause first
	 */
	public static Duration pauseBefore(int retry) {
		long base = FIRST_PAUSE.toMillis() << Math.min(Math.max(retry - 1, 0), 20);
		base = Math.min(base, LONGEST_PAUSE.toMillis());
		double factor = 1 + ThreadLocalRandom.current().nextDouble(-JITTER, JITTER);
		return Duration.ofMillis(Math.round(base * factor));
	}

}
