package dev.lockstep.core.targets;

import java.util.List;

import org.jspecify.annotations.Nullable;

import dev.lockstep.core.MigrationEngine;
import dev.lockstep.core.MigrationMonitor;
import dev.lockstep.core.api.MigrationMode;
import dev.lockstep.core.api.SchemaState;
import dev.lockstep.core.problem.UnknownTargetException;

/**
 * A named target: one database (and schema) migrated with its own settings, or a fleet of tenants sharing a
 * changelog. Without any configured target there is one, {@value #DEFAULT}.
 */
public final class MigrationTarget {

	/** The target of the top-level settings. */
	public static final String DEFAULT = "default";

	private final String name;

	private final MigrationMode mode;

	private final @Nullable MigrationEngine engine;

	private final @Nullable MigrationMonitor monitor;

	private final @Nullable TenantFleet tenants;

	private MigrationTarget(String name, MigrationMode mode, @Nullable MigrationEngine engine,
			@Nullable MigrationMonitor monitor, @Nullable TenantFleet tenants) {
		this.name = name;
		this.mode = mode;
		this.engine = engine;
		this.monitor = monitor;
		this.tenants = tenants;
	}

	/** A target that is one database (and schema). */
	public static MigrationTarget single(String name, MigrationEngine engine, MigrationMonitor monitor) {
		return new MigrationTarget(name, monitor.mode(), engine, monitor, null);
	}

	/** A target whose tenants are migrated each on its own. */
	public static MigrationTarget withTenants(String name, MigrationMode mode, TenantFleet tenants) {
		return new MigrationTarget(name, mode, null, null, tenants);
	}

	public String name() {
		return this.name;
	}

	public MigrationMode mode() {
		return this.mode;
	}

	public boolean hasTenants() {
		return this.tenants != null;
	}

	/**
	 * The engine of a target without tenants.
	 * @throws UnknownTargetException when the target has tenants (name one of them)
	 */
	public MigrationEngine engine() {
		if (this.engine == null) {
			throw UnknownTargetException.tenantsOnly(this.name);
		}
		return this.engine;
	}

	/**
	 * The monitor of a target without tenants.
	 * @throws UnknownTargetException when the target has tenants (name one of them)
	 */
	public MigrationMonitor monitor() {
		if (this.monitor == null) {
			throw UnknownTargetException.tenantsOnly(this.name);
		}
		return this.monitor;
	}

	/**
	 * The tenants of the target.
	 * @throws UnknownTargetException when the target has none
	 */
	public TenantFleet tenants() {
		if (this.tenants == null) {
			throw UnknownTargetException.noTenants(this.name);
		}
		return this.tenants;
	}

	/** The tenant of this target with that id (see {@link TenantFleet#tenant(String)}). */
	public MigrationTenant tenant(String id) {
		return tenants().tenant(id);
	}

	/** The tenants, or an empty list for a target without tenants. */
	public List<MigrationTenant> tenantList() {
		return (this.tenants != null) ? this.tenants.tenants() : List.of();
	}

	/** Where the target stands: its own state, or the worst of its tenants' with their counts. */
	public TargetSummary summary() {
		if (this.tenants != null) {
			return this.tenants.summary();
		}
		SchemaState state = monitor().snapshot().state();
		return new TargetSummary(this.name, state, java.util.Map.of());
	}

	@Override
	public String toString() {
		return this.name;
	}

}
