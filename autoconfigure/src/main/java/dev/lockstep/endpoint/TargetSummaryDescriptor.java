package dev.lockstep.endpoint;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.jspecify.annotations.Nullable;

import dev.lockstep.core.api.SchemaState;
import dev.lockstep.core.problem.MigrationException;
import dev.lockstep.core.targets.MigrationTarget;
import dev.lockstep.core.targets.TargetSummary;

/**
 * One named target in the {@code targets} of {@code /actuator/migrations}: where it stands and, for a target with
 * tenants, how many tenants are in each state (worst first). Needs no Actuator classes.
 *
 * @param state the target's state; for a target with tenants the worst of theirs
 * @param tenants tenants per state, only states some tenant is in; absent for a target without tenants
 * @param error why the target could not be read (its tenants could not be listed), when it could not
 */
public record TargetSummaryDescriptor(String state, @Nullable Map<String, Integer> tenants, @Nullable String error) {

	/** Worst first, as {@link TargetSummary#worst} ranks states. */
	static final Comparator<SchemaState> WORST_FIRST = (a, b) -> (a == b) ? 0
			: (TargetSummary.worst(List.of(a, b)) == a) ? -1 : 1;

	/**
	 * The summary of a target; a target whose tenants cannot be listed is {@code UNAVAILABLE}, with the reason.
	 * @param target the target
	 * @return its summary
	 */
	public static TargetSummaryDescriptor of(MigrationTarget target) {
		try {
			TargetSummary summary = target.summary();
			return new TargetSummaryDescriptor(summary.state().name(),
					target.hasTenants() ? counts(summary) : null, null);
		}
		catch (MigrationException ex) {
			return new TargetSummaryDescriptor(SchemaState.UNAVAILABLE.name(), null, ex.getMessage());
		}
	}

	/**
	 * The summaries of the named targets (all but the default one), in the order they are configured.
	 * @param targets every target, the default one first
	 * @return the named targets' summaries, by name
	 */
	public static Map<String, TargetSummaryDescriptor> ofNamed(List<MigrationTarget> targets) {
		Map<String, TargetSummaryDescriptor> named = new LinkedHashMap<>();
		for (MigrationTarget target : targets) {
			if (!MigrationTarget.DEFAULT.equals(target.name())) {
				named.put(target.name(), of(target));
			}
		}
		return named;
	}

	/** Tenants per state, worst state first. */
	static Map<String, Integer> counts(TargetSummary summary) {
		List<SchemaState> states = new ArrayList<>(summary.tenants().keySet());
		states.sort(WORST_FIRST);
		Map<String, Integer> counts = new LinkedHashMap<>();
		states.forEach((state) -> counts.put(state.name(), summary.count(state)));
		return counts;
	}

}
