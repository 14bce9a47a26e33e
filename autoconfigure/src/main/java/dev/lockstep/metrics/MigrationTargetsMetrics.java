package dev.lockstep.metrics;

import java.util.List;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.binder.MeterBinder;

import dev.lockstep.core.targets.MigrationTarget;
import dev.lockstep.core.targets.MigrationsRegistry;

/**
 * The metrics of the named targets of {@code migrations.targets.*} (the default target has {@link MigrationsMetrics}
 * of its own): each tagged with its target's name, the same meters as the default target's for a target without
 * tenants, {@link TenantFleetMetrics} for a target with tenants.
 */
public class MigrationTargetsMetrics implements MeterBinder {

	private final List<MeterBinder> targets;

	public MigrationTargetsMetrics(MigrationsRegistry registry) {
		this.targets = registry.targets()
			.stream()
			.filter((target) -> !MigrationTarget.DEFAULT.equals(target.name()))
			.map(MigrationTargetsMetrics::metrics)
			.toList();
	}

	private static MeterBinder metrics(MigrationTarget target) {
		return target.hasTenants() ? new TenantFleetMetrics(target.tenants())
				: new MigrationsMetrics(target.name(), target.engine(), target.monitor());
	}

	@Override
	public void bindTo(MeterRegistry registry) {
		this.targets.forEach((target) -> target.bindTo(registry));
	}

}
