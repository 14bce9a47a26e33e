package dev.lockstep.endpoint;

import org.jspecify.annotations.Nullable;

import dev.lockstep.core.StatusSnapshot;
import dev.lockstep.core.api.SchemaState;
import dev.lockstep.core.problem.MigrationException;
import dev.lockstep.core.targets.MigrationTenant;

/**
 * What is wrong with a tenant, when something is: the failure of its last run in this process (with what to do),
 * else the error of the last run its history records, or why its database cannot be read.
 *
 * @param error what went wrong
 * @param action what to do, when known
 */
record TenantProblem(@Nullable String error, @Nullable String action) {

	private static final TenantProblem NONE = new TenantProblem(null, null);

	static TenantProblem of(MigrationTenant tenant, SchemaState state) {
		MigrationException failure = tenant.failure();
		if (failure != null && (state == SchemaState.FAILED || state == SchemaState.UNAVAILABLE)) {
			return new TenantProblem(failure.getMessage(), failure.action());
		}
		StatusSnapshot snapshot = tenant.snapshot();
		if (state == SchemaState.FAILED && snapshot.lastRun() != null) {
			return new TenantProblem(snapshot.lastRun().error(), null);
		}
		if (state == SchemaState.UNAVAILABLE) {
			return new TenantProblem(snapshot.error(), null);
		}
		return NONE;
	}

}
