package dev.lockstep.core.api;

import java.time.Duration;
import java.util.Map;
import java.util.Objects;

import org.jspecify.annotations.Nullable;

/**
 * Everything a run needs to know besides the database and the changelog's resources.
 *
 * @param changeLog master changelog location, as the resource accessor understands it
 * @param contexts Liquibase context expression, or {@code null}
 * @param labelFilter Liquibase label expression, or {@code null}
 * @param defaultSchema schema of the migrated objects, or {@code null} for the connection's default
 * @param liquibaseSchema schema of the history tables, or {@code null} for the default schema
 * @param parameters changelog parameters
 * @param tag tag applied after every successful apply, or {@code null}
 * @param lockWaitTimeout how long to wait for another run's lock
 * @param applicationName name shown to other instances while this one holds the lock
 */
public record MigrationSettings(String changeLog, @Nullable String contexts, @Nullable String labelFilter,
		@Nullable String defaultSchema, @Nullable String liquibaseSchema, Map<String, String> parameters,
		@Nullable String tag, Duration lockWaitTimeout, String applicationName) {

	public static final String DEFAULT_CHANGE_LOG = "classpath:db/changelog/db.changelog-master.yaml";

	public static final Duration DEFAULT_LOCK_WAIT_TIMEOUT = Duration.ofMinutes(5);

	public MigrationSettings {
		Objects.requireNonNull(changeLog, "changeLog");
		parameters = (parameters != null) ? Map.copyOf(parameters) : Map.of();
		lockWaitTimeout = (lockWaitTimeout != null) ? lockWaitTimeout : DEFAULT_LOCK_WAIT_TIMEOUT;
		applicationName = (applicationName != null && !applicationName.isBlank()) ? applicationName : "application";
	}

	public static MigrationSettings of(String changeLog) {
		return new MigrationSettings(changeLog, null, null, null, null, Map.of(), null, null, null);
	}

	public MigrationSettings withContexts(String contextExpression) {
		return new MigrationSettings(this.changeLog, contextExpression, this.labelFilter, this.defaultSchema,
				this.liquibaseSchema, this.parameters, this.tag, this.lockWaitTimeout, this.applicationName);
	}

	public MigrationSettings withParameters(Map<String, String> changeLogParameters) {
		return new MigrationSettings(this.changeLog, this.contexts, this.labelFilter, this.defaultSchema,
				this.liquibaseSchema, changeLogParameters, this.tag, this.lockWaitTimeout, this.applicationName);
	}

	public MigrationSettings withLockWaitTimeout(Duration timeout) {
		return new MigrationSettings(this.changeLog, this.contexts, this.labelFilter, this.defaultSchema,
				this.liquibaseSchema, this.parameters, this.tag, timeout, this.applicationName);
	}

	/** The same settings on other schemas (a tenant's: its objects and its own history). */
	public MigrationSettings withSchemas(@Nullable String objectsSchema, @Nullable String historySchema) {
		return new MigrationSettings(this.changeLog, this.contexts, this.labelFilter, objectsSchema, historySchema,
				this.parameters, this.tag, this.lockWaitTimeout, this.applicationName);
	}

	/** The schema that holds DATABASECHANGELOG and DATABASECHANGELOGLOCK, or {@code null} for the default. */
	public String historySchema() {
		return (this.liquibaseSchema != null) ? this.liquibaseSchema : this.defaultSchema;
	}

}
