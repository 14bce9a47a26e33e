package dev.lockstep.core.targets;

import java.time.Duration;

import org.jspecify.annotations.Nullable;

import dev.lockstep.core.api.RunResult;
import dev.lockstep.core.problem.MigrationException;

/**
 * How one tenant's run ended.
 *
 * @param tenant the tenant's id
 * @param result the run's result, or {@code null} when it failed
 * @param failure why it failed, or {@code null}
 * @param took how long the tenant took, waiting for its lock included
 */
public record TenantOutcome(String tenant, @Nullable RunResult result, @Nullable MigrationException failure,
		Duration took) {

	public boolean failed() {
		return this.failure != null;
	}

}
