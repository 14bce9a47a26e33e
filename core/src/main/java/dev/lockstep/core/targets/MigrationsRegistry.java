package dev.lockstep.core.targets;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import dev.lockstep.core.StatusSnapshot;
import dev.lockstep.core.api.RunResult;
import dev.lockstep.core.problem.MigrationException;
import dev.lockstep.core.problem.UnknownTargetException;

/**
 * Every migration target of the application, by name: migrates a tenant created at runtime and reads the status of
 * any target or tenant. Available as a bean.
 */
public final class MigrationsRegistry {

	private final Map<String, MigrationTarget> targets;

	public MigrationsRegistry(List<MigrationTarget> targets) {
		Map<String, MigrationTarget> byName = new LinkedHashMap<>();
		for (MigrationTarget target : targets) {
			if (byName.putIfAbsent(target.name(), target) != null) {
				throw new IllegalArgumentException("Two targets are named " + target.name());
			}
		}
		this.targets = Collections.unmodifiableMap(byName);
	}

	/** The targets, the default one first. */
	public List<MigrationTarget> targets() {
		return List.copyOf(this.targets.values());
	}

	public List<String> names() {
		return List.copyOf(this.targets.keySet());
	}

	/**
	 * The target with this name.
	 * @throws UnknownTargetException when there is none
	 */
	public MigrationTarget target(String name) {
		MigrationTarget target = this.targets.get(name);
		if (target == null) {
			throw UnknownTargetException.target(name, this.targets.keySet());
		}
		return target;
	}

	/**
	 * Applies the pending changesets of a tenant now, e.g. right after the application created it; the tenant's
	 * source is listed again first when the tenant is not known yet.
	 * @throws UnknownTargetException when there is no such target or tenant
	 * @throws MigrationException when the run fails (the tenant is then {@code FAILED}, with the error)
	 */
	public RunResult migrate(String target, String tenant) {
		TenantFleet fleet = target(target).tenants();
		return fleet.migrate(fleet.tenant(tenant));
	}

	/**
	 * Applies the pending changesets of a tenant the target's source does not list (yet), e.g. a schema the
	 * application is creating; it is kept as a tenant of the target until its source is listed again.
	 */
	public RunResult migrate(String target, Tenant tenant) {
		TenantFleet fleet = target(target).tenants();
		return fleet.migrate(fleet.add(tenant));
	}

	/** The status of a target without tenants (the default target's is the endpoint's root document). */
	public StatusSnapshot status(String target) {
		return target(target).monitor().snapshot();
	}

	/** The status of one tenant. */
	public StatusSnapshot status(String target, String tenant) {
		return target(target).tenant(tenant).snapshot();
	}

	/** Where a target stands: its state, and its tenants per state. */
	public TargetSummary summary(String target) {
		return target(target).summary();
	}

}
