package dev.lockstep.metrics;

import java.time.Duration;
import java.util.Locale;
import java.util.function.ToDoubleFunction;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.binder.MeterBinder;
import org.jspecify.annotations.Nullable;

import dev.lockstep.core.DriftStatus;
import dev.lockstep.core.MigrationEngine;
import dev.lockstep.core.MigrationMonitor;
import dev.lockstep.core.StatusSnapshot;
import dev.lockstep.core.api.MigrationRunListener;
import dev.lockstep.core.api.RunResult;
import dev.lockstep.core.api.SchemaState;

/**
 * Micrometer metrics: gauges read from the monitor's cached status, timers for runs and lock waits. Runs that
 * ended before the registry was bound (the startup run) are recorded when it is.
 */
public class MigrationsMetrics implements MeterBinder, MigrationRunListener {

	private final MigrationEngine engine;

	private final MigrationMonitor monitor;

	private volatile @Nullable MeterRegistry registry;

	public MigrationsMetrics(MigrationEngine engine, MigrationMonitor monitor) {
		this.engine = engine;
		this.monitor = monitor;
	}

	@Override
	public void bindTo(MeterRegistry registry) {
		gauge(registry, "migrations.changesets.pending", "Changesets not applied yet",
				(snapshot) -> snapshot.status().pending().size());
		gauge(registry, "migrations.changesets.applied", "Rows in the migration history",
				(snapshot) -> snapshot.status().appliedCount());
		gauge(registry, "migrations.checksum.mismatches", "Applied changesets edited after they ran",
				(snapshot) -> snapshot.status().checksumMismatches().size());
		// From the last drift check, without a status read; NaN while nothing conclusive is known.
		Gauge.builder("migrations.drift.objects", this.monitor, MigrationsMetrics::driftObjects)
			.description("Schema objects that differ from what the migrations made")
			.strongReference(true)
			.register(registry);
		ddlLockRetries(registry);
		boolean first = this.registry == null;
		this.registry = registry;
		if (first) {
			this.engine.addListener(this);
		}
	}

	private void gauge(MeterRegistry registry, String name, String description,
			ToDoubleFunction<StatusSnapshot> value) {
		Gauge.builder(name, this.monitor, (monitor) -> {
			StatusSnapshot snapshot = monitor.snapshot();
			return (snapshot.state() == SchemaState.UNAVAILABLE) ? Double.NaN : value.applyAsDouble(snapshot);
		}).description(description).strongReference(true).register(registry);
	}

	private static double driftObjects(MigrationMonitor monitor) {
		DriftStatus drift = monitor.drift();
		return (drift != null) ? drift.objectCount() : Double.NaN;
	}

	@Override
	public void runEnded(RunResult result) {
		MeterRegistry current = this.registry;
		if (current != null) {
			Timer.builder("migrations.run")
				.description("Migration runs")
				.tag("outcome", result.outcome().name().toLowerCase(Locale.ROOT))
				.tag("mode", result.mode().value())
				.register(current)
				.record(Duration.ofMillis(result.durationMs()));
		}
	}

	private static Counter ddlLockRetries(MeterRegistry registry) {
		return Counter.builder("migrations.ddl.lock.retries")
			.description("Changesets rolled back and retried because they waited longer than the lock timeout")
			.register(registry);
	}

	@Override
	public void ddlLockRetried(@Nullable String changeSet, int retry) {
		MeterRegistry current = this.registry;
		if (current != null) {
			ddlLockRetries(current).increment();
		}
	}

	@Override
	public void lockWaitEnded(Duration waited, boolean acquired) {
		MeterRegistry current = this.registry;
		if (current != null) {
			Timer.builder("migrations.lock.wait")
				.description("Time spent waiting for another instance's migration lock")
				.tag("outcome", acquired ? "acquired" : "timeout")
				.register(current)
				.record(waited);
		}
	}

}
