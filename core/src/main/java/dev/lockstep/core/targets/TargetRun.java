package dev.lockstep.core.targets;

import java.time.Duration;
import java.util.List;

/**
 * How the run of all tenants of a target ended.
 *
 * @param target the target's name
 * @param outcomes each tenant's outcome, in the order the tenants were listed
 * @param took how long the whole run took
 */
public record TargetRun(String target, List<TenantOutcome> outcomes, Duration took) {

	public TargetRun {
		outcomes = List.copyOf(outcomes);
	}

	public List<TenantOutcome> failed() {
		return this.outcomes.stream().filter(TenantOutcome::failed).toList();
	}

	/** Changesets applied over all tenants. */
	public int applied() {
		return this.outcomes.stream().mapToInt((outcome) -> (outcome.result() != null) ? outcome.result().applied() : 0)
			.sum();
	}

}
