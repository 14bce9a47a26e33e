package dev.lockstep.autoconfigure;

import java.time.Duration;
import java.util.Arrays;
import java.util.stream.Collectors;

import org.springframework.boot.context.properties.bind.BindException;
import org.springframework.boot.diagnostics.AbstractFailureAnalyzer;
import org.springframework.boot.diagnostics.FailureAnalysis;
import org.springframework.core.Ordered;
import org.springframework.core.annotation.Order;

import dev.lockstep.core.api.MigrationMode;

/**
 * Explains a wrong {@code migrations.*} value, listing the values that are valid.
 */
@Order(Ordered.HIGHEST_PRECEDENCE)
class MigrationsPropertiesFailureAnalyzer extends AbstractFailureAnalyzer<BindException> {

	@Override
	protected FailureAnalysis analyze(Throwable rootFailure, BindException cause) {
		if (cause.getProperty() == null || !cause.getName().toString().startsWith("migrations")) {
			return null;
		}
		String name = cause.getProperty().getName().toString();
		Object value = cause.getProperty().getValue();
		Class<?> type = cause.getTarget().getType().resolve();
		String valid;
		if (name.equals("migrations.mode")) {
			valid = "one of: "
					+ Arrays.stream(MigrationMode.values()).map(MigrationMode::value).collect(Collectors.joining(", "));
		}
		else if (type == Duration.class || name.endsWith("timeout") || name.endsWith("ttl")) {
			valid = "a duration such as 500ms, 30s, 5m, 1h, or ISO-8601 like PT5M";
		}
		else if (type == boolean.class || type == Boolean.class) {
			valid = "one of: true, false";
		}
		else {
			return null;
		}
		String origin = (cause.getProperty().getOrigin() != null) ? " (from " + cause.getProperty().getOrigin() + ")"
				: "";
		return new FailureAnalysis("Invalid value '" + value + "' for " + name + origin + ".",
				"Set " + name + " to " + valid + ".", cause);
	}

}
