package dev.lockstep.autoconfigure;

import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import org.jspecify.annotations.Nullable;

import org.springframework.boot.context.properties.PropertyMapper;
import org.springframework.util.CollectionUtils;
import org.springframework.util.StringUtils;

import dev.lockstep.core.api.DdlSettings;
import dev.lockstep.core.api.MigrationSettings;

/**
 * Maps {@link MigrationsProperties} to the core's {@link MigrationSettings}: lists become Liquibase expressions,
 * blank values mean "not set", and everything else is taken as it is.
 */
final class MigrationSettingsMapper {

	private MigrationSettingsMapper() {
	}

	/**
	 * The settings the core needs, from the given properties.
	 * @param properties the bound {@code migrations.*} properties
	 * @param applicationName name shown to other instances while this one holds the lock
	 * @return the settings
	 */
	static MigrationSettings toSettings(MigrationsProperties properties, String applicationName) {
		PropertyMapper map = PropertyMapper.get();
		Values values = new Values(properties.getChangeLog());
		map.from(properties.getContexts()).as(MigrationSettingsMapper::expression).to(values::contexts);
		map.from(properties.getLabelFilter()).as(MigrationSettingsMapper::expression).to(values::labelFilter);
		map.from(properties.getDefaultSchema()).whenHasText().to(values::defaultSchema);
		map.from(properties.getLiquibaseSchema()).whenHasText().to(values::liquibaseSchema);
		map.from(properties.getParameters()).to(values.parameters::putAll);
		map.from(properties.getTag()).whenHasText().to(values::tag);
		map.from(properties.getLock().getWaitTimeout()).to(values::lockWaitTimeout);
		return new MigrationSettings(values.changeLog, values.contexts, values.labelFilter, values.defaultSchema,
				values.liquibaseSchema, values.parameters, values.tag, values.lockWaitTimeout, applicationName);
	}

	/**
	 * The settings of a named target: its own values where set, the top-level ones elsewhere; its parameters are
	 * added to the top-level ones.
	 * @param properties the bound {@code migrations.*} properties
	 * @param target the target's properties
	 * @param applicationName name shown to other instances while this one holds the lock
	 * @return the settings
	 */
	static MigrationSettings toSettings(MigrationsProperties properties, MigrationsProperties.Target target,
			String applicationName) {
		MigrationSettings top = toSettings(properties, applicationName);
		PropertyMapper map = PropertyMapper.get();
		Values values = new Values(StringUtils.hasText(target.getChangeLog()) ? target.getChangeLog() : top.changeLog());
		values.contexts = top.contexts();
		values.labelFilter = top.labelFilter();
		values.defaultSchema = top.defaultSchema();
		values.liquibaseSchema = top.liquibaseSchema();
		values.parameters.putAll(top.parameters());
		values.tag = top.tag();
		values.lockWaitTimeout = top.lockWaitTimeout();
		if (target.getContexts() != null) {
			values.contexts = expression(target.getContexts());
		}
		if (target.getLabelFilter() != null) {
			values.labelFilter = expression(target.getLabelFilter());
		}
		map.from(target.getDefaultSchema()).whenHasText().to(values::defaultSchema);
		map.from(target.getLiquibaseSchema()).whenHasText().to(values::liquibaseSchema);
		map.from(target.getParameters()).to(values.parameters::putAll);
		map.from(target.getTag()).whenHasText().to(values::tag);
		map.from(target.getLock().getWaitTimeout()).to(values::lockWaitTimeout);
		return new MigrationSettings(values.changeLog, values.contexts, values.labelFilter, values.defaultSchema,
				values.liquibaseSchema, values.parameters, values.tag, values.lockWaitTimeout, applicationName);
	}

	/**
	 * How changesets wait for locks, from {@code migrations.ddl.*}.
	 * @param properties the bound {@code migrations.*} properties
	 * @return the settings
	 */
	static DdlSettings toDdlSettings(MigrationsProperties properties) {
		MigrationsProperties.Ddl ddl = properties.getDdl();
		return new DdlSettings((ddl.getLockTimeout() != null) ? ddl.getLockTimeout() : Duration.ZERO,
				ddl.getRetries());
	}

	/** {@code [dev, test]} as Liquibase's {@code dev,test}; none for an empty list. */
	private static @Nullable String expression(List<String> values) {
		return CollectionUtils.isEmpty(values) ? null : StringUtils.collectionToCommaDelimitedString(values);
	}

	/** What the mapping collects, for the settings' one constructor call. */
	private static final class Values {

		private final String changeLog;

		private @Nullable String contexts;

		private @Nullable String labelFilter;

		private @Nullable String defaultSchema;

		private @Nullable String liquibaseSchema;

		private final Map<String, String> parameters = new HashMap<>();

		private @Nullable String tag;

		private @Nullable Duration lockWaitTimeout;

		Values(String changeLog) {
			this.changeLog = changeLog;
		}

		void contexts(String contexts) {
			this.contexts = contexts;
		}

		void labelFilter(String labelFilter) {
			this.labelFilter = labelFilter;
		}

		void defaultSchema(String defaultSchema) {
			this.defaultSchema = defaultSchema;
		}

		void liquibaseSchema(String liquibaseSchema) {
			this.liquibaseSchema = liquibaseSchema;
		}

		void tag(String tag) {
			this.tag = tag;
		}

		void lockWaitTimeout(Duration lockWaitTimeout) {
			this.lockWaitTimeout = lockWaitTimeout;
		}

	}

}
