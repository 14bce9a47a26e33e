package dev.lockstep.core.changelog;

import java.util.HashMap;
import java.util.Map;

import liquibase.Scope;
import liquibase.analytics.configuration.AnalyticsArgs;
import liquibase.database.Database;
import liquibase.logging.LogService;
import liquibase.resource.ResourceAccessor;
import liquibase.ui.LoggerUIService;

import org.jspecify.annotations.Nullable;

/**
 * Runs Liquibase code in a child {@link Scope} of its own, so that concurrent runs and status reads never share
 * scope values. Output goes to the log, never to the console, without the row data of database errors
 * ({@link RedactingLogService}), and Liquibase's analytics stay off.
 */
public final class LiquibaseScope {

	private LiquibaseScope() {
	}

	@FunctionalInterface
	public interface Work<T> {

		T run() throws Exception;

	}

	public static <T> T call(ResourceAccessor resources, @Nullable Database database, Map<String, Object> extra,
			Work<T> work)
			throws Exception {
		Map<String, Object> values = new HashMap<>();
		values.put(Scope.Attr.ui.name(), new LoggerUIService());
		values.put(AnalyticsArgs.ENABLED.getKey(), Boolean.FALSE);
		values.put(Scope.Attr.resourceAccessor.name(), resources);
		values.put(Scope.Attr.logService.name(),
				new RedactingLogService(Scope.getCurrentScope().get(Scope.Attr.logService, LogService.class)));
		if (database != null) {
			values.put(Scope.Attr.database.name(), database);
		}
		values.putAll(extra);
		return Scope.child(values, work::run);
	}

	public static <T> T call(ResourceAccessor resources, @Nullable Database database, Work<T> work)
			throws Exception {
		return call(resources, database, Map.of(), work);
	}

}
