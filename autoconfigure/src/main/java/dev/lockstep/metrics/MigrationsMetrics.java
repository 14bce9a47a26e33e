package dev.lockstep.metrics;

import java.util.function.ToDoubleFunction;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.binder.MeterBinder;

import dev.lockstep.core.DriftStatus;
import dev.lockstep.core.MigrationEngine;
import dev.lockstep.core.MigrationMonitor;
import dev.lockstep.core.StatusSnapshot;
import dev.lockstep.core.api.SchemaState;
import dev.lockstep.core.targets.MigrationTarget;

/**
 * Micrometer metrics of a target without tenants (the default target, or a named one), tagged with its name:
 * gauges read from the monitor's cached status (its state, pending, applied and edited changesets, drifted objects),
 * timers for runs and lock waits, a counter of DDL lock retries. Runs that ended before the registry
 * was bound (the startup run) are recorded when it is.
 */
public class MigrationsMetrics implements MeterBinder {

	private final String target;

	private final MigrationEngine engine;

	private final MigrationMonitor monitor;

	private final RunMeters runs;

	/** The metrics of the default target. */
	public MigrationsMetrics(MigrationEngine engine, MigrationMonitor monitor) {
		this(MigrationTarget.DEFAULT, engine, monitor);
	}

	public MigrationsMetrics(String target, MigrationEngine engine, MigrationMonitor monitor) {
		this.target = target;
		this.engine = engine;
		this.monitor = monitor;
		this.runs = new RunMeters(target);
	}

	@Override
	public void bindTo(MeterRegistry registry) {
		gauge(registry, "migrations.changesets.pending", "Changesets not applied yet",
				(snapshot) -> snapshot.status().pending().size());
		gauge(registry, "migrations.changesets.applied", "Rows in the migration history",
				(snapshot) -> snapshot.status().appliedCount());
		gauge(registry, "migrations.checksum.mismatches", "Applied changesets edited after they ran",
				(snapshot) -> snapshot.status().checksumMismatches().size());
		StateGauges.targetState(registry, this.target, this.monitor, (monitor) -> monitor.snapshot().state());
		// From the last drift check, without a status read; NaN while nothing conclusive is known.
		Gauge.builder("migrations.drift.objects", this.monitor, MigrationsMetrics::driftObjects)
			.description("Schema objects that differ from what the migrations made")
			.tag(RunMeters.TARGET, this.target)
			.strongReference(true)
			.register(registry);
		if (this.runs.bindTo(registry)) {
			this.engine.addListener(this.runs);
		}
	}

	private void gauge(MeterRegistry registry, String name, String description,
			ToDoubleFunction<StatusSnapshot> value) {
		Gauge.builder(name, this.monitor, (monitor) -> {
			StatusSnapshot snapshot = monitor.snapshot();
			return (snapshot.state() == SchemaState.UNAVAILABLE) ? Double.NaN : value.applyAsDouble(snapshot);
		}).description(description).tag(RunMeters.TARGET, this.target).strongReference(true).register(registry);
	}

	static double driftObjects(MigrationMonitor monitor) {
		DriftStatus drift = monitor.drift();
		return (drift != null) ? drift.objectCount() : Double.NaN;
	}

}
