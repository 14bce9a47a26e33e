package dev.lockstep.health;

import java.util.ArrayList;
import java.util.List;

import org.springframework.boot.health.contributor.AbstractHealthIndicator;
import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.Status;

import dev.lockstep.core.MigrationMonitor;
import dev.lockstep.core.StatusSnapshot;
import dev.lockstep.core.api.DriftObject;
import dev.lockstep.core.api.MigrationStatus;
import dev.lockstep.core.api.SchemaState;
import dev.lockstep.core.status.DatabaseAhead;

/**
 * Health contributor {@code migrations}: {@code UP} when the schema matches the changelog (also when the database
 * is ahead of it), the configured pending status (default {@code OUT_OF_SERVICE}) while changesets are pending or
 * being applied, {@code DOWN} when the last run failed, a checksum differs or the database cannot be read, and the
 * configured drift status (default {@code UP}, with the drifted objects in the details) when the live schema differs
 * from what the migrations made: a hand-added index does not take an instance out of readiness unless the user says
 * so.
 */
public class MigrationsHealthIndicator extends AbstractHealthIndicator {

	private final MigrationMonitor monitor;

	/** How many drifted objects the details describe. */
	static final int DESCRIBED_DRIFT_OBJECTS = 5;

	private final Status pendingStatus;

	private final Status driftStatus;

	public MigrationsHealthIndicator(MigrationMonitor monitor, Status pendingStatus) {
		this(monitor, pendingStatus, Status.UP);
	}

	/**
	 * @param monitor the monitor
	 * @param pendingStatus the status while changesets are pending ({@code migrations.health.pending-status})
	 * @param driftStatus the status while the schema has drifted ({@code migrations.drift.health})
	 */
	public MigrationsHealthIndicator(MigrationMonitor monitor, Status pendingStatus, Status driftStatus) {
		super("Migrations health check failed");
		this.monitor = monitor;
		this.pendingStatus = pendingStatus;
		this.driftStatus = driftStatus;
	}

	/**
	 * The health status of a state.
	 * @param state the state
	 * @param pendingStatus the status while changesets are pending
	 * @param driftStatus the status while the schema has drifted
	 * @return the status
	 */
	static Status status(SchemaState state, Status pendingStatus, Status driftStatus) {
		return switch (state) {
			case UP_TO_DATE, AHEAD, DISABLED -> Status.UP;
			case SCHEMA_DRIFT -> driftStatus;
			case PENDING, MIGRATING -> pendingStatus;
			case DRIFTED, FAILED, UNAVAILABLE -> Status.DOWN;
		};
	}

	@Override
	protected void doHealthCheck(Health.Builder builder) {
		StatusSnapshot snapshot = this.monitor.snapshot();
		MigrationStatus status = snapshot.status();
		builder.status(status(snapshot.state(), this.pendingStatus, this.driftStatus));
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
			case SCHEMA_DRIFT -> {
				List<DriftObject> objects = snapshot.drift().objects();
				List<String> described = new ArrayList<>();
				objects.stream().limit(DESCRIBED_DRIFT_OBJECTS).forEach((object) -> described.add(object.describe()));
				if (objects.size() > DESCRIBED_DRIFT_OBJECTS) {
					described.add("and " + (objects.size() - DESCRIBED_DRIFT_OBJECTS) + " more");
				}
				builder.withDetail("drift", objects.size()).withDetail("driftObjects", described);
			}
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
