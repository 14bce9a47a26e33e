package dev.lockstep.endpoint;

import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import org.jspecify.annotations.Nullable;

import org.springframework.boot.actuate.endpoint.OperationResponseBody;

import dev.lockstep.core.api.SchemaState;
import dev.lockstep.core.jdbc.JdbcUrls;
import dev.lockstep.core.targets.MigrationTarget;
import dev.lockstep.core.targets.MigrationTenant;
import dev.lockstep.core.targets.TargetSummary;
import dev.lockstep.core.targets.TenantFleet;

/**
 * The document served at {@code /actuator/migrations/targets/{target}} for a target with tenants: where the fleet
 * stands and its tenants, the worst first (failed ones before those pending before those up to date), at most
 * {@value #LISTED}; {@code ?state=FAILED} lists only the tenants in that state.
 *
 * @param target the target's name
 * @param state the worst of its tenants' states
 * @param mode what the target does at startup
 * @param changeLog the target's master changelog (absent while it has no tenants)
 * @param parallelism how many tenants are migrated at a time
 * @param onFailure what a failing tenant does to startup ({@code fail} or {@code continue})
 * @param tenantCount how many tenants it has
 * @param tenants tenants per state, worst state first
 * @param listedState the state the list is limited to, when a filter was given
 * @param tenantList the tenants, worst first, then by id
 * @param notListed how many more tenants the filter matched than are listed
 */
public record TenantsDescriptor(String target, String state, String mode, @Nullable String changeLog, int parallelism,
		String onFailure, int tenantCount, Map<String, Integer> tenants, @Nullable String listedState,
		List<TenantDescriptor> tenantList, @Nullable Integer notListed) implements OperationResponseBody {

	/** How many tenants the document lists at most. */
	static final int LISTED = 100;

	static TenantsDescriptor of(MigrationTarget target, @Nullable SchemaState only) {
		TenantFleet fleet = target.tenants();
		// Reads the tenants' statuses that are not cached, several at a time; the states below are then cached.
		TargetSummary summary = fleet.summary();
		List<MigrationTenant> all = fleet.tenants();
		List<TenantState> matching = all.stream()
			.map((tenant) -> new TenantState(tenant, tenant.state()))
			.filter((read) -> only == null || read.state() == only)
			.sorted(Comparator.comparing(TenantState::state, TargetSummaryDescriptor.WORST_FIRST)
				.thenComparing((read) -> read.tenant().id()))
			.toList();
		List<TenantDescriptor> listed = matching.stream().limit(LISTED).map(TenantDescriptor::of).toList();
		String changeLog = all.isEmpty() ? null
				: MigrationsDescriptor.displayChangeLog(all.get(0).engine().settings().changeLog());
		return new TenantsDescriptor(target.name(), summary.state().name(), target.mode().value(), changeLog,
				fleet.parallelism(), fleet.onFailure().name().toLowerCase(Locale.ROOT), summary.tenantCount(),
				TargetSummaryDescriptor.counts(summary), (only != null) ? only.name() : null, listed,
				(matching.size() > LISTED) ? matching.size() - LISTED : null);
	}

	private record TenantState(MigrationTenant tenant, SchemaState state) {
	}

	/**
	 * One tenant in the list.
	 *
	 * @param id the tenant's id
	 * @param schema its schema, for a schema tenant
	 * @param database its database's URL without credentials, for a database tenant
	 * @param state where it stands
	 * @param error why its last run failed, or why its database cannot be read
	 * @param action what to do about the failure
	 */
	public record TenantDescriptor(String id, @Nullable String schema, @Nullable String database, String state,
			@Nullable String error, @Nullable String action) {

		private static TenantDescriptor of(TenantState read) {
			MigrationTenant tenant = read.tenant();
			TenantProblem problem = TenantProblem.of(tenant, read.state());
			return new TenantDescriptor(tenant.id(), tenant.tenant().schema(),
					JdbcUrls.redact(tenant.tenant().jdbcUrl()), read.state().name(), problem.error(),
					problem.action());
		}

	}

}
