package dev.lockstep.metrics;

import java.util.List;

import org.jspecify.annotations.Nullable;

import dev.lockstep.core.StatusSnapshot;
import dev.lockstep.core.api.SchemaState;
import dev.lockstep.core.targets.MigrationTenant;
import dev.lockstep.core.targets.TargetSummary;

/**
 * What the gauges of a target with tenants show, worked out once per summary: tenants per state, and the status
 * counts summed over the tenants whose status could be read.
 *
 * @param summary the summary the totals were worked out from, {@code null} when the tenants could not be listed
 * @param pending changesets not applied yet, over all tenants
 * @param applied rows in the tenants' histories
 * @param checksumMismatches applied changesets edited after they ran
 * @param driftObjects objects that differ from what the migrations made, over the tenants with a conclusive drift
 * check; {@code NaN} when none has one
 */
record FleetTotals(@Nullable TargetSummary summary, double pending, double applied, double checksumMismatches,
		double driftObjects) {

	/** Nothing is known: the tenants could not be listed. */
	static final FleetTotals UNKNOWN = new FleetTotals(null, Double.NaN, Double.NaN, Double.NaN, Double.NaN);

	/**
	 * The totals of the tenants, right after their summary read each tenant's status: from the statuses as last
	 * read, never reading one again (a scrape must not read hundreds of statuses one after the other). A tenant
	 * whose status cannot be read counts as {@code UNAVAILABLE} in the summary and adds nothing to the sums; the
	 * sums are {@code NaN} when no tenant's status could be read.
	 */
	static FleetTotals of(TargetSummary summary, List<MigrationTenant> tenants) {
		int readable = 0;
		double pending = 0;
		double applied = 0;
		double mismatches = 0;
		int drifts = 0;
		double driftObjects = 0;
		for (MigrationTenant tenant : tenants) {
			StatusSnapshot snapshot = tenant.monitor().lastSnapshot();
			if (snapshot != null && snapshot.state() != SchemaState.UNAVAILABLE) {
				readable++;
				pending += snapshot.status().pending().size();
				applied += snapshot.status().appliedCount();
				mismatches += snapshot.status().checksumMismatches().size();
			}
			double drift = MigrationsMetrics.driftObjects(tenant.monitor());
			if (!Double.isNaN(drift)) {
				drifts++;
				driftObjects += drift;
			}
		}
		boolean unknown = readable == 0 && !tenants.isEmpty();
		return new FleetTotals(summary, unknown ? Double.NaN : pending, unknown ? Double.NaN : applied,
				unknown ? Double.NaN : mismatches, (drifts > 0) ? driftObjects : Double.NaN);
	}

	/** The target's state (the worst of its tenants'), {@code null} when the tenants could not be listed. */
	@Nullable SchemaState state() {
		return (this.summary != null) ? this.summary.state() : null;
	}

	/** How many tenants are in the state; {@code NaN} when the tenants could not be listed. */
	double tenants(SchemaState state) {
		return (this.summary != null) ? this.summary.count(state) : Double.NaN;
	}

}
