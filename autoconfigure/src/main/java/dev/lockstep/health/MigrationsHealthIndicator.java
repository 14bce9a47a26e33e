package dev.lockstep.health;

import org.springframework.boot.health.contributor.AbstractHealthIndicator;
import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.Status;

import dev.lockstep.core.MigrationMonitor;
import dev.lockstep.core.StatusSnapshot;
import dev.lockstep.core.api.MigrationStatus;
import dev.lockstep.core.status.DatabaseAhead;

/**
 * Health contributor {@code migrations}: {@code UP} when the schema matches the changelog (also when the database
 * is ahead of it), the configured pending status (default {@code OUT_OF_SERVICE}) while changesets are pending or
 * being applied, {@code DOWN} when the last run failed, a checksum differs or the database cannot be read.
 */
public class MigrationsHealthIndicator extends AbstractHealthIndicator {

	private final MigrationMonitor monitor;

	private final Status pendingStatus;

	public MigrationsHealthIndicator(MigrationMonitor monitor, Status pendingStatus) {
		super("Migrations health check failed");
		this.monitor = monitor;
		this.pendingStatus = pendingStatus;
	}

	@Override
	protected void doHealthCheck(Health.Builder builder) {
		StatusSnapshot snapshot = this.monitor.snapshot();
		MigrationStatus status = snapshot.status();
		builder.status(switch (snapshot.state()) {
			case UP_TO_DATE, AHEAD, DISABLED, SCHEMA_DRIFT -> Status.UP;
			case PENDING, MIGRATING -> this.pendingStatus;
			case DRIFTED, FAILED, UNAVAILABLE -> Status.DOWN;
		});
		builder.withDetail("state", snapshot.state().name()).withDetail("pending", status.pending().size());
		if (status.current() != null) {
			builder.withDetail("current", status.current().id() + "::" + status.current().author());
		}
		if (status.currentTag() != null) {
			builder.withDetail("tag", status.currentTag());
		}
		switch (snapshot.state()) {
			case AHEAD -> builder.withDetail("unexpected", status.unexpected().size())
				.withDetail("note", DatabaseAhead.of(snapshot.history(), status.unexpected()).trailing()
						? "the database has changesets this version's changelog does not declare, all applied after "
								+ "those it declares (a newer version's)"
						: "the database has changesets this version's changelog does not declare, between those it "
								+ "declares");
			case DRIFTED -> builder.withDetail("checksumMismatches", status.checksumMismatches().size());
			case FAILED -> builder.withDetail("error", snapshot.lastRun().error());
			case UNAVAILABLE -> {
				builder.withDetail("error", snapshot.error());
				if (snapshot.lastGoodReadAt() != null) {
					builder.withDetail("lastGoodReadAt", snapshot.lastGoodReadAt().toString())
						.withDetail("staleFor", java.time.Duration.ofSeconds(snapshot.staleFor().toSeconds()).toString());
				}
			}
			default -> {
			}
		}
	}

}
