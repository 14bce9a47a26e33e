package dev.lockstep.health;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Stream;

import org.jspecify.annotations.Nullable;

import org.springframework.boot.health.contributor.CompositeHealthContributor;
import org.springframework.boot.health.contributor.HealthContributor;
import org.springframework.boot.health.contributor.Status;

import dev.lockstep.core.targets.MigrationTarget;
import dev.lockstep.core.targets.MigrationsRegistry;

/**
 * Health contributor {@code migrations} when named targets are configured: one component per target
 * ({@code migrations/default}, {@code migrations/billing}, ...), each mapped like {@link MigrationsHealthIndicator}
 * with its own pending status; a target with tenants is one component ({@link TenantsHealthIndicator}). The
 * group's status aggregator makes {@code migrations} as bad as its worst target, so a readiness group that includes
 * {@code migrations} waits for every target.
 */
public class MigrationsHealthContributor implements CompositeHealthContributor {

	private final Map<String, HealthContributor> targets = new LinkedHashMap<>();

	/**
	 * @param registry every target, the default one first
	 * @param pendingStatus a target's status while changesets are pending, by target name
	 * @param driftStatus the status while a schema has drifted
	 */
	public MigrationsHealthContributor(MigrationsRegistry registry, Function<String, Status> pendingStatus,
			Status driftStatus) {
		for (MigrationTarget target : registry.targets()) {
			Status pending = pendingStatus.apply(target.name());
			this.targets.put(target.name(),
					target.hasTenants() ? new TenantsHealthIndicator(target.tenants(), pending, driftStatus)
							: new MigrationsHealthIndicator(target.monitor(), pending, driftStatus));
		}
	}

	@Override
	public @Nullable HealthContributor getContributor(String name) {
		return this.targets.get(name);
	}

	@Override
	public Stream<Entry> stream() {
		return this.targets.entrySet().stream().map((entry) -> new Entry(entry.getKey(), entry.getValue()));
	}

}
