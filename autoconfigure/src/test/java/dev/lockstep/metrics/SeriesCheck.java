package dev.lockstep.metrics;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

import dev.lockstep.core.api.MigrationMode;
import dev.lockstep.core.api.RunOutcome;
import dev.lockstep.core.api.SchemaState;
import dev.lockstep.metrics.PromQlSelectors.Selector;

/**
 * Checks the PromQL of a dashboard or an alert rule against the series an application exposes: every metric it
 * names exists, every label it matches or groups by is one of that metric's, and a fixed label value
 * ({@code state="FAILED"}, {@code outcome="timeout"}) is one the label takes — seen on a series, or one of the values
 * the meter can have (taken from the enums and constants the meters are made from, since not every outcome happens in
 * a test application).
 */
final class SeriesCheck {

	private static final Pattern LEGEND_LABEL = Pattern.compile("\\{\\{\\s*(\\w+)\\s*}}");

	private final List<PrometheusSeries> series;

	private final Map<String, Map<String, Set<String>>> possibleValues = Map.of("migrations.run",
			Map.of("outcome", values(Arrays.stream(RunOutcome.values()).map((o) -> o.name().toLowerCase(Locale.ROOT))
				.toList()), "mode", values(Arrays.stream(MigrationMode.values()).map(MigrationMode::value).toList())),
			"migrations.lock.wait", Map.of("outcome", Set.of(RunMeters.ACQUIRED, RunMeters.TIMEOUT)),
			"migrations.state", Map.of("state", states()), "migrations.tenants", Map.of("state", states()));

	SeriesCheck(List<PrometheusSeries> series) {
		this.series = series;
	}

	/** What is wrong with the expression (and the labels its legend shows); empty when nothing is. */
	List<String> problems(String where, String expr, String legend) {
		List<String> problems = new ArrayList<>();
		PromQlSelectors parsed;
		try {
			parsed = PromQlSelectors.parse(expr);
		}
		catch (RuntimeException ex) {
			return List.of(where + ": cannot read " + expr + ": " + ex);
		}
		if (parsed.selectors().isEmpty()) {
			problems.add(where + ": no metric in " + expr);
		}
		Set<String> labels = new LinkedHashSet<>();
		for (Selector selector : parsed.selectors()) {
			List<PrometheusSeries> named = this.series.stream()
				.filter((each) -> each.name().equals(selector.metric()))
				.toList();
			if (named.isEmpty()) {
				problems.add(where + ": no metric " + selector.metric() + " (Lockstep's: " + lockstepNames() + ") in "
						+ expr);
				continue;
			}
			named.forEach((each) -> labels.addAll(each.labels().keySet()));
			for (PromQlSelectors.Matcher matcher : selector.matchers()) {
				if (matcher.label().equals("__name__")) {
					continue;
				}
				List<PrometheusSeries> labelled = named.stream()
					.filter((each) -> each.labels().containsKey(matcher.label()))
					.toList();
				if (labelled.isEmpty()) {
					problems.add(where + ": " + selector.metric() + " has no label " + matcher.label() + " (it has "
							+ labelsOf(named) + ") in " + expr);
				}
				else if (!matcher.hasVariable() && !takes(selector.metric(), labelled, matcher)) {
					problems.add(where + ": label " + matcher.label() + " of " + selector.metric() + " is never "
							+ matcher.operator() + "\"" + matcher.value() + "\" (its values: "
							+ valuesOf(labelled, matcher.label()) + ") in " + expr);
				}
			}
		}
		Set<String> used = new LinkedHashSet<>(parsed.groupingLabels());
		Matcher legendLabels = LEGEND_LABEL.matcher((legend != null) ? legend : "");
		while (legendLabels.find()) {
			used.add(legendLabels.group(1));
		}
		if (!labels.isEmpty()) {
			used.stream()
				.filter((label) -> !labels.contains(label))
				.forEach((label) -> problems.add(where + ": label " + label + " is not one of " + labels + " in " + expr));
		}
		return problems;
	}

	private boolean takes(String metric, List<PrometheusSeries> labelled, PromQlSelectors.Matcher matcher) {
		Set<String> values = valuesOf(labelled, matcher.label());
		String meter = labelled.get(0).meter();
		values.addAll(this.possibleValues.getOrDefault(meter, Map.of()).getOrDefault(matcher.label(), Set.of()));
		return switch (matcher.operator()) {
			case "=" -> values.contains(matcher.value());
			case "=~" -> values.stream().anyMatch((value) -> value.matches(matcher.value()));
			default -> true;
		};
	}

	private String lockstepNames() {
		return this.series.stream()
			.map(PrometheusSeries::name)
			.filter((name) -> name.startsWith("migrations_"))
			.collect(Collectors.toCollection(TreeSet::new))
			.toString();
	}

	private static Set<String> labelsOf(List<PrometheusSeries> series) {
		return series.stream().flatMap((each) -> each.labels().keySet().stream())
			.collect(Collectors.toCollection(TreeSet::new));
	}

	private static Set<String> valuesOf(List<PrometheusSeries> series, String label) {
		return series.stream().map((each) -> each.labels().get(label))
			.collect(Collectors.toCollection(TreeSet::new));
	}

	private static Set<String> states() {
		return values(StateGauges.STATES.stream().map(SchemaState::name).toList());
	}

	private static Set<String> values(List<String> values) {
		return new TreeSet<>(values);
	}

}
