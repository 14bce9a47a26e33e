package dev.lockstep.core.targets;

import java.util.Collection;
import java.util.Collections;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;

import dev.lockstep.core.api.SchemaState;

/**
 * Where a target stands: its state (for a target with tenants, the worst of its tenants') and, for a target with
 * tenants, how many are in each state.
 *
 * @param target the target's name
 * @param state the target's state
 * @param tenants tenants per state (only states some tenant is in), empty for a target without tenants
 */
public record TargetSummary(String target, SchemaState state, Map<SchemaState, Integer> tenants) {

	/** From worst to best: what a target with tenants in several states reports. */
	static final List<SchemaState> WORST_FIRST = List.of(SchemaState.FAILED, SchemaState.UNAVAILABLE,
			SchemaState.DRIFTED, SchemaState.SCHEMA_DRIFT, SchemaState.AHEAD, SchemaState.PENDING,
			SchemaState.MIGRATING, SchemaState.UP_TO_DATE, SchemaState.DISABLED);

	public TargetSummary {
		Map<SchemaState, Integer> copy = new EnumMap<>(SchemaState.class);
		copy.putAll(tenants);
		tenants = Collections.unmodifiableMap(copy);
	}

	/** A target with tenants, from its tenants' states; {@code UP_TO_DATE} when it has none. */
	public static TargetSummary ofTenants(String target, Collection<SchemaState> states) {
		Map<SchemaState, Integer> counts = new EnumMap<>(SchemaState.class);
		states.forEach((state) -> counts.merge(state, 1, Integer::sum));
		SchemaState worst = WORST_FIRST.stream()
			.filter(counts::containsKey)
			.findFirst()
			.orElse(SchemaState.UP_TO_DATE);
		return new TargetSummary(target, worst, counts);
	}

	/** The worst of the given states (see {@link #WORST_FIRST}). */
	public static SchemaState worst(Collection<SchemaState> states) {
		return WORST_FIRST.stream().filter(states::contains).findFirst().orElse(SchemaState.UP_TO_DATE);
	}

	/** How many tenants are in the state. */
	public int count(SchemaState state) {
		return this.tenants.getOrDefault(state, 0);
	}

	public int tenantCount() {
		return this.tenants.values().stream().mapToInt(Integer::intValue).sum();
	}

}
