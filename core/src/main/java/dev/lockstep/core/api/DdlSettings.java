package dev.lockstep.core.api;

import java.time.Duration;

/**
 * How changesets keep their DDL from queueing the application's queries behind a lock they wait for.
 *
 * @param lockTimeout the {@code lock_timeout} every statement of a changeset runs under; {@link Duration#ZERO}
 * switches it (and the retries) off
 * @param retries how often a changeset that timed out waiting for a lock is tried again before the run fails
 */
public record DdlSettings(Duration lockTimeout, int retries) {

	public static final Duration DEFAULT_LOCK_TIMEOUT = Duration.ofSeconds(3);

	public static final int DEFAULT_RETRIES = 20;

	public static final DdlSettings DEFAULT = new DdlSettings(DEFAULT_LOCK_TIMEOUT, DEFAULT_RETRIES);

	/** Nothing bounded: statements wait for their locks as long as it takes (Liquibase's own behaviour). */
	public static final DdlSettings OFF = new DdlSettings(Duration.ZERO, 0);

	public DdlSettings {
		lockTimeout = (lockTimeout != null && !lockTimeout.isNegative()) ? lockTimeout : Duration.ZERO;
		retries = Math.max(0, retries);
	}

	/** Whether statements run under a lock timeout at all. */
	public boolean limitsLockWaits() {
		return !this.lockTimeout.isZero();
	}

}
