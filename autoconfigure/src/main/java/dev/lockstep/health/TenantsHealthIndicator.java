package dev.lockstep.health;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.springframework.boot.health.contributor.AbstractHealthIndicator;
import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.Status;

import dev.lockstep.core.api.SchemaState;
import dev.lockstep.core.targets.MigrationTenant;
import dev.lockstep.core.targets.TargetSummary;
import dev.lockstep.core.targets.TenantFleet;

/**
 * Health of a target with tenants, as one component: the status of the worst tenant's state (mapped like
 * {@link MigrationsHealthIndicator}'s), the tenants per state, and the ids of the failed tenants (at most
 * {@value #NAMED_FAILED}; {@code /actuator/migrations/targets/{target}?state=FAILED} lists them all). One
 * component per target, not per tenant: a fleet of a thousand schemas stays one line of health.
 */
public class TenantsHealthIndicator extends AbstractHealthIndicator {

	/** How many failed tenants the details name. */
	static final int NAMED_FAILED = 10;

	private final TenantFleet fleet;

	private final Status pendingStatus;

	private final Status driftStatus;

	/**
	 * @param fleet the target's tenants
	 * @param pendingStatus the status while changesets are pending (the target's {@code health.pending-status})
	 * @param driftStatus the status while a schema has drifted ({@code migrations.drift.health})
	 */
	public TenantsHealthIndicator(TenantFleet fleet, Status pendingStatus, Status driftStatus) {
		super("Migrations health check failed");
		this.fleet = fleet;
		this.pendingStatus = pendingStatus;
		this.driftStatus = driftStatus;
	}

	@Override
	protected void doHealthCheck(Health.Builder builder) {
		TargetSummary summary = this.fleet.summary();
		builder.status(MigrationsHealthIndicator.status(summary.state(), this.pendingStatus, this.driftStatus));
		// Worst state first, as the endpoint lists them.
		Map<String, Integer> counts = new LinkedHashMap<>();
		summary.tenants()
			.keySet()
			.stream()
			.sorted((a, b) -> (a == b) ? 0 : (TargetSummary.worst(List.of(a, b)) == a) ? -1 : 1)
			.forEach((state) -> counts.put(state.name(), summary.count(state)));
		builder.withDetail("state", summary.state().name())
			.withDetail("tenantCount", summary.tenantCount())
			.withDetail("tenants", counts);
		int failed = summary.count(SchemaState.FAILED);
		if (failed > 0) {
			builder.withDetail("failed", failed).withDetail("failedTenants", failedTenants(failed));
		}
	}

	/** The ids of the first failed tenants (their states are cached by the summary just read). */
	private List<String> failedTenants(int failed) {
		List<String> named = new ArrayList<>();
		for (MigrationTenant tenant : this.fleet.tenants()) {
			if (named.size() == NAMED_FAILED) {
				break;
			}
			if (tenant.state() == SchemaState.FAILED) {
				named.add(tenant.id());
			}
		}
		if (failed > named.size()) {
			named.add("and " + (failed - named.size()) + " more");
		}
		return named;
	}

}
