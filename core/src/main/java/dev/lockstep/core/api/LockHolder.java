package dev.lockstep.core.api;

import java.time.Duration;
import java.time.Instant;

/**
 * Who holds the migration lock.
 *
 * @param application application name of the holder, or what Liquibase recorded for a foreign lock
 * @param host host of the holder, when known
 * @param pid process id of the holder, when known
 * @param since when the lock was taken, when known
 * @param kind {@code advisory} for Lockstep's PostgreSQL lock, {@code changelog-lock-row} for Liquibase's row
 */
public record LockHolder(String application, String host, Long pid, Instant since, String kind) {

	public String describe() {
		StringBuilder text = new StringBuilder(this.application);
		if (this.pid != null || this.host != null) {
			text.append(" (");
			if (this.pid != null) {
				text.append("pid ").append(this.pid);
			}
			if (this.host != null) {
				text.append((this.pid != null) ? " on " : "").append(this.host);
			}
			text.append(')');
		}
		if (this.since != null) {
			long seconds = Duration.between(this.since, Instant.now()).toSeconds();
			text.append(", since ").append(this.since).append(" (").append(Math.max(seconds, 0)).append(" s ago)");
		}
		return text.toString();
	}

}
