package dev.lockstep.metrics;

import java.util.Arrays;
import java.util.List;
import java.util.function.Function;
import java.util.function.ToDoubleFunction;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import org.jspecify.annotations.Nullable;

import dev.lockstep.core.api.SchemaState;

/**
 * Gauges with one series per schema state: {@code migrations.state} (1 for the state a target is in, 0 for the
 * others, so that a dashboard shows it and an alert can match it) and {@code migrations.tenants} (how many tenants
 * are in each state).
 */
final class StateGauges {

	/** The states a target or tenant can be in ({@code DISABLED} is the whole application's, and has no meters). */
	static final List<SchemaState> STATES = Arrays.stream(SchemaState.values())
		.filter((state) -> state != SchemaState.DISABLED)
		.toList();

	private StateGauges() {
	}

	/** {@code migrations.state}: 1 for the target's state, 0 for the others; NaN when it cannot be told. */
	static <T> void targetState(MeterRegistry registry, String target, T source,
			Function<T, @Nullable SchemaState> state) {
		perState(registry, "migrations.state", "The target's state: 1 for the state it is in, 0 for the others",
				target, source, (current, each) -> {
					SchemaState now = state.apply(current);
					return (now != null) ? ((now == each) ? 1 : 0) : Double.NaN;
				});
	}

	/** {@code migrations.tenants}: how many of the target's tenants are in each state. */
	static <T> void tenants(MeterRegistry registry, String target, T source, StateValue<T> count) {
		perState(registry, "migrations.tenants", "Tenants of the target in each state", target, source, count);
	}

	private static <T> void perState(MeterRegistry registry, String name, String description, String target,
			T source, StateValue<T> value) {
		for (SchemaState state : STATES) {
			ToDoubleFunction<T> function = (current) -> value.value(current, state);
			Gauge.builder(name, source, function)
				.description(description)
				.tag(RunMeters.TARGET, target)
				.tag("state", state.name())
				.strongReference(true)
				.register(registry);
		}
	}

	/** The value of a gauge for one state. */
	@FunctionalInterface
	interface StateValue<T> {

		double value(T source, SchemaState state);

	}

}
