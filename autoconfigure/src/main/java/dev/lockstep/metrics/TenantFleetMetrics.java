package dev.lockstep.metrics;

import java.util.function.ToDoubleFunction;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.binder.MeterBinder;
import org.jspecify.annotations.Nullable;

import dev.lockstep.core.targets.TargetSummary;
import dev.lockstep.core.targets.TenantFleet;

/**
 * Micrometer metrics of a target with tenants, tagged with the target: {@code migrations.tenants} per state (how many
 * tenants are in it — one series per state, never one per tenant), {@code migrations.state} (the worst of the
 * tenants' states), the status gauges summed over the tenants, and the runs, lock waits and DDL lock retries of all
 * tenants together.
 * <p>
 * The gauges read the fleet's summary, which is cached for the status time to live; the sums are worked out once
 * per summary, so a scrape reads no tenant's status beyond what the summary reads.
 */
public class TenantFleetMetrics implements MeterBinder {

	private final TenantFleet fleet;

	private final RunMeters runs;

	private volatile @Nullable FleetTotals totals;

	public TenantFleetMetrics(TenantFleet fleet) {
		this.fleet = fleet;
		this.runs = new RunMeters(fleet.target());
	}

	@Override
	public void bindTo(MeterRegistry registry) {
		StateGauges.tenants(registry, this.fleet.target(), this, (metrics, state) -> metrics.totals().tenants(state));
		// The target's state is the worst of its tenants'.
		StateGauges.targetState(registry, this.fleet.target(), this, (metrics) -> metrics.totals().state());
		gauge(registry, "migrations.changesets.pending", "Changesets not applied yet, over all tenants",
				FleetTotals::pending);
		gauge(registry, "migrations.changesets.applied", "Rows in the migration histories of all tenants",
				FleetTotals::applied);
		gauge(registry, "migrations.checksum.mismatches", "Applied changesets edited after they ran, over all tenants",
				FleetTotals::checksumMismatches);
		gauge(registry, "migrations.drift.objects",
				"Schema objects that differ from what the migrations made, over all tenants", FleetTotals::driftObjects);
		if (this.runs.bindTo(registry)) {
			this.fleet.addListener(this.runs);
		}
	}

	private void gauge(MeterRegistry registry, String name, String description, ToDoubleFunction<FleetTotals> value) {
		Gauge.builder(name, this, (metrics) -> value.applyAsDouble(metrics.totals()))
			.description(description)
			.tag(RunMeters.TARGET, this.fleet.target())
			.strongReference(true)
			.register(registry);
	}

	/** The totals of the current summary, worked out again only when the fleet made a new summary. */
	FleetTotals totals() {
		TargetSummary summary;
		try {
			summary = this.fleet.summary();
		}
		catch (RuntimeException ex) {
			// The tenants cannot be listed: unknown, not zero (the endpoint and health say why).
			return FleetTotals.UNKNOWN;
		}
		FleetTotals current = this.totals;
		if (current == null || current.summary() != summary) {
			current = FleetTotals.of(summary, this.fleet.tenants());
			this.totals = current;
		}
		return current;
	}

}
