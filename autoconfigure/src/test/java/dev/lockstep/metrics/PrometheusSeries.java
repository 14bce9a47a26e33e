package dev.lockstep.metrics;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tag;

/**
 * The Prometheus series a registry's meters become when scraped, named as micrometer-registry-prometheus names them
 * (its {@code PrometheusNamingConvention}; that module is not a dependency of this build): dots become underscores,
 * counters end in {@code _total}, timers are {@code <name>_seconds_count}, {@code _sum} and {@code _max}, gauges
 * keep their name; tags become labels.
 *
 * @param meter the Micrometer name of the meter the series comes from
 * @param name the series' Prometheus name
 * @param labels its labels
 */
record PrometheusSeries(String meter, String name, Map<String, String> labels) {

	static List<PrometheusSeries> of(MeterRegistry registry) {
		List<PrometheusSeries> series = new ArrayList<>();
		for (Meter meter : registry.getMeters()) {
			String base = meter.getId().getName().replace('.', '_').replace('-', '_');
			Map<String, String> labels = new LinkedHashMap<>();
			for (Tag tag : meter.getId().getTagsAsIterable()) {
				labels.put(tag.getKey(), tag.getValue());
			}
			List<String> names = meter.match((gauge) -> List.of(base), (counter) -> List.of(base + "_total"),
					(timer) -> suffixed(base + "_seconds", "_count", "_sum", "_max"),
					(summary) -> suffixed(base, "_count", "_sum", "_max"),
					(longTaskTimer) -> List.of(base + "_seconds_active_count", base + "_seconds_duration_sum",
							base + "_seconds_max"),
					(timeGauge) -> List.of(base + "_seconds"), (functionCounter) -> List.of(base + "_total"),
					(functionTimer) -> suffixed(base + "_seconds", "_count", "_sum"), (other) -> List.of(base));
			names.forEach((name) -> series.add(new PrometheusSeries(meter.getId().getName(), name, labels)));
		}
		return series;
	}

	private static List<String> suffixed(String base, String... suffixes) {
		return java.util.Arrays.stream(suffixes).map((suffix) -> base + suffix).toList();
	}

}
