package dev.lockstep.autoconfigure;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.jspecify.annotations.Nullable;

import org.springframework.boot.context.properties.ConfigurationProperties;

import dev.lockstep.core.api.LintFailOn;
import dev.lockstep.core.api.MigrationMode;
import dev.lockstep.core.api.DdlSettings;
import dev.lockstep.core.api.MigrationSettings;
import dev.lockstep.core.lint.Linter;
import dev.lockstep.core.targets.TenantFailureMode;

/**
 * Configuration properties for Lockstep migrations: plain data. {@link MigrationSettingsMapper} turns them into the
 * core's {@link MigrationSettings}.
 */
@ConfigurationProperties("migrations")
public class MigrationsProperties {

	/**
	 * Whether to enable Lockstep. When false, no run and no database access: the endpoint and the health
	 * contributor stay and say DISABLED (health UP), so that health groups that name 'migrations' keep working.
	 */
	private boolean enabled = true;

	/**
	 * What the startup run does: 'apply' pending changesets under the lock, 'validate' (change nothing and refuse to
	 * start unless the schema matches the changelog or is merely ahead of it), or 'report' (change nothing, never refuse to start).
	 */
	private MigrationMode mode = MigrationMode.APPLY;

	/**
	 * Location of the master changelog.
	 */
	private String changeLog = MigrationSettings.DEFAULT_CHANGE_LOG;

	/**
	 * Liquibase contexts to use.
	 */
	private List<String> contexts = new ArrayList<>();

	/**
	 * Liquibase label expression to use.
	 */
	private List<String> labelFilter = new ArrayList<>();

	/**
	 * Schema of the migrated objects. Defaults to the connection's default schema.
	 */
	private @Nullable String defaultSchema;

	/**
	 * Schema of Liquibase's history tables (DATABASECHANGELOG, DATABASECHANGELOGLOCK). Defaults to the default
	 * schema.
	 */
	private @Nullable String liquibaseSchema;

	/**
	 * Changelog parameters.
	 */
	private Map<String, String> parameters = new HashMap<>();

	/**
	 * Whether SQL shown for review (/actuator/migrations/pending, 'migrations sql', 'migrations rollback-sql') shows
	 * the values of changelog parameters from outside the changelog (migrations.parameters.*, system properties,
	 * environment variables). By default each is shown as ${name}: they may be secrets.
	 */
	private boolean showParameterValues;

	/**
	 * JDBC URL of the database to migrate, for separate (DDL-privileged) credentials. Defaults to the application's
	 * DataSource. Only the URL changes: the other connection settings of the application's pool (for Hikari: schema,
	 * connection init SQL, data source properties) are kept.
	 */
	private @Nullable String url;

	/**
	 * Login user of the database to migrate. Defaults to the application's DataSource user.
	 */
	private @Nullable String user;

	/**
	 * Login password of the database to migrate.
	 */
	private @Nullable String password;

	/**
	 * Tag applied to the database after every successful apply, for example the application version.
	 */
	private @Nullable String tag;

	/**
	 * Whether to run on a Liquibase version Lockstep is not tested with (5.x; Lockstep is tested with 4.33.0) with a
	 * warning instead of failing at startup.
	 */
	private boolean allowUntestedLiquibase;

	private final Lock lock = new Lock();

	private final Health health = new Health();

	private final Status status = new Status();

	private final Validate validate = new Validate();

	private final Drift drift = new Drift();

	private final Ddl ddl = new Ddl();

	private final Lint lint = new Lint();

	/**
	 * How many tenants of a target are migrated at a time. Default min(4, available processors).
	 */
	private @Nullable Integer parallelism;

	/**
	 * Named migration targets besides the default one (the top-level settings), by name. Keys of each target: url,
	 * user, password, change-log, contexts, label-filter, default-schema, liquibase-schema, parameters, mode, tag,
	 * lock.wait-timeout, health.pending-status (each inheriting the top-level value where unset), and
	 * tenants.schemas, tenants.query, tenants.on-failure (fail or continue).
	 */
	private Map<String, Target> targets = new LinkedHashMap<>();

	public boolean isEnabled() {
		return this.enabled;
	}

	public @Nullable Integer getParallelism() {
		return this.parallelism;
	}

	public void setParallelism(@Nullable Integer parallelism) {
		this.parallelism = parallelism;
	}

	/** The configured parallelism, or min(4, available processors). */
	public int effectiveParallelism() {
		return (this.parallelism != null) ? this.parallelism
				: Math.min(4, Runtime.getRuntime().availableProcessors());
	}

	public Map<String, Target> getTargets() {
		return this.targets;
	}

	public void setTargets(Map<String, Target> targets) {
		this.targets = targets;
	}

	public void setEnabled(boolean enabled) {
		this.enabled = enabled;
	}

	public MigrationMode getMode() {
		return this.mode;
	}

	public void setMode(MigrationMode mode) {
		this.mode = mode;
	}

	public String getChangeLog() {
		return this.changeLog;
	}

	public void setChangeLog(String changeLog) {
		this.changeLog = changeLog;
	}

	public List<String> getContexts() {
		return this.contexts;
	}

	public void setContexts(List<String> contexts) {
		this.contexts = contexts;
	}

	public List<String> getLabelFilter() {
		return this.labelFilter;
	}

	public void setLabelFilter(List<String> labelFilter) {
		this.labelFilter = labelFilter;
	}

	public @Nullable String getDefaultSchema() {
		return this.defaultSchema;
	}

	public void setDefaultSchema(@Nullable String defaultSchema) {
		this.defaultSchema = defaultSchema;
	}

	public @Nullable String getLiquibaseSchema() {
		return this.liquibaseSchema;
	}

	public void setLiquibaseSchema(@Nullable String liquibaseSchema) {
		this.liquibaseSchema = liquibaseSchema;
	}

	public Map<String, String> getParameters() {
		return this.parameters;
	}

	public void setParameters(Map<String, String> parameters) {
		this.parameters = parameters;
	}

	public boolean isShowParameterValues() {
		return this.showParameterValues;
	}

	public void setShowParameterValues(boolean showParameterValues) {
		this.showParameterValues = showParameterValues;
	}

	public @Nullable String getUrl() {
		return this.url;
	}

	public void setUrl(@Nullable String url) {
		this.url = url;
	}

	public @Nullable String getUser() {
		return this.user;
	}

	public void setUser(@Nullable String user) {
		this.user = user;
	}

	public @Nullable String getPassword() {
		return this.password;
	}

	public void setPassword(@Nullable String password) {
		this.password = password;
	}

	public @Nullable String getTag() {
		return this.tag;
	}

	public void setTag(@Nullable String tag) {
		this.tag = tag;
	}

	public boolean isAllowUntestedLiquibase() {
		return this.allowUntestedLiquibase;
	}

	public void setAllowUntestedLiquibase(boolean allowUntestedLiquibase) {
		this.allowUntestedLiquibase = allowUntestedLiquibase;
	}

	public Lock getLock() {
		return this.lock;
	}

	public Health getHealth() {
		return this.health;
	}

	public Status getStatus() {
		return this.status;
	}

	public Validate getValidate() {
		return this.validate;
	}

	public Drift getDrift() {
		return this.drift;
	}

	public Ddl getDdl() {
		return this.ddl;
	}

	public Lint getLint() {
		return this.lint;
	}

	public static class Lock {

		/**
		 * How long to wait for another instance's run before failing with the holder named.
		 */
		private Duration waitTimeout = MigrationSettings.DEFAULT_LOCK_WAIT_TIMEOUT;

		public Duration getWaitTimeout() {
			return this.waitTimeout;
		}

		public void setWaitTimeout(Duration waitTimeout) {
			this.waitTimeout = waitTimeout;
		}

	}

	public static class Health {

		/**
		 * Health status reported while changesets are pending.
		 */
		private String pendingStatus = "OUT_OF_SERVICE";

		public String getPendingStatus() {
			return this.pendingStatus;
		}

		public void setPendingStatus(String pendingStatus) {
			this.pendingStatus = pendingStatus;
		}

	}

	public static class Status {

		/**
		 * How long the endpoint, health and metrics reuse one status read.
		 */
		private Duration cacheTtl = Duration.ofSeconds(10);

		/**
		 * How long one query of a status read may take (statement and network timeout) before the read fails and
		 * the state says UNAVAILABLE. 0 switches the bound off.
		 */
		private Duration readTimeout = Duration.ofSeconds(10);

		public Duration getCacheTtl() {
			return this.cacheTtl;
		}

		public void setCacheTtl(Duration cacheTtl) {
			this.cacheTtl = cacheTtl;
		}

		public Duration getReadTimeout() {
			return this.readTimeout;
		}

		public void setReadTimeout(Duration readTimeout) {
			this.readTimeout = readTimeout;
		}

	}

	public static class Validate {

		/**
		 * Whether 'validate' starts (with a warning naming them) when the only difference is changesets applied
		 * after everything this changelog declares, as during a rollout or after an application rollback.
		 */
		private boolean allowAhead = true;

		public boolean isAllowAhead() {
			return this.allowAhead;
		}

		public void setAllowAhead(boolean allowAhead) {
			this.allowAhead = allowAhead;
		}

	}

	public static class Drift {

		/**
		 * Whether runs record the schema they leave behind and drift checks compare the live schema with that
		 * record.
		 */
		private boolean enabled = true;

		/**
		 * How often to check drift in the background. 0 checks only at startup and on demand
		 * (/actuator/migrations/drift).
		 */
		private Duration interval = Duration.ofMinutes(10);

		/**
		 * Health status reported while the live schema differs from what the migrations made (UP, with the drift in
		 * the details; or DOWN, OUT_OF_SERVICE).
		 */
		private String health = "UP";

		/**
		 * Objects drift checks leave out, as kind:name patterns (* any characters, ? one), e.g. index:*_tmp,
		 * table:audit_* (a table pattern also covers the table's columns, constraints, indexes and triggers).
		 */
		private List<String> ignore = new ArrayList<>();

		public boolean isEnabled() {
			return this.enabled;
		}

		public void setEnabled(boolean enabled) {
			this.enabled = enabled;
		}

		public Duration getInterval() {
			return this.interval;
		}

		public void setInterval(Duration interval) {
			this.interval = interval;
		}

		public String getHealth() {
			return this.health;
		}

		public void setHealth(String health) {
			this.health = health;
		}

		public List<String> getIgnore() {
			return this.ignore;
		}

		public void setIgnore(List<String> ignore) {
			this.ignore = ignore;
		}

	}

	public static class Ddl {

		/**
		 * How long each statement of a changeset may wait for a lock (PostgreSQL lock_timeout) before the changeset
		 * is rolled back and retried, so that the application's queries never queue behind a migration that waits.
		 * 0 waits as long as it takes (no retries).
		 */
		private Duration lockTimeout = DdlSettings.DEFAULT_LOCK_TIMEOUT;

		/**
		 * How often a changeset that timed out waiting for a lock is retried (pausing 0.5 s, doubling up to 10 s,
		 * with jitter) before the run fails naming the session that held the lock.
		 */
		private int retries = DdlSettings.DEFAULT_RETRIES;

		public Duration getLockTimeout() {
			return this.lockTimeout;
		}

		public void setLockTimeout(Duration lockTimeout) {
			this.lockTimeout = lockTimeout;
		}

		public int getRetries() {
			return this.retries;
		}

		public void setRetries(int retries) {
			this.retries = retries;
		}

	}

	public static class Lint {

		/**
		 * Which lint findings make an apply (at startup or 'migrations update') refuse to run, before it changes
		 * anything: never (the findings are only logged), warning (any finding) or error (error-level findings).
		 * CI gates on error findings with 'migrations check' or 'migrations lint'.
		 */
		private LintFailOn failOn = LintFailOn.NEVER;

		/**
		 * Estimated rows (pg_class.reltuples) from which a table counts as large: findings on it are errors, on a
		 * smaller table with rows warnings; empty tables and tables created by the same pending changesets are
		 * exempt.
		 */
		private long largeTableRows = Linter.DEFAULT_LARGE_TABLE_ROWS;

		public LintFailOn getFailOn() {
			return this.failOn;
		}

		public void setFailOn(LintFailOn failOn) {
			this.failOn = failOn;
		}

		public long getLargeTableRows() {
			return this.largeTableRows;
		}

		public void setLargeTableRows(long largeTableRows) {
			this.largeTableRows = largeTableRows;
		}

	}

	/**
	 * A named target: the same keys as the top level, each unset one inheriting the top-level value. Its database is
	 * the DataSource bean named after the target ({@code <name>} or {@code <name>DataSource}), else its url (and
	 * credentials), else the default target's database.
	 */
	public static class Target {

		/**
		 * JDBC URL of the target's database. Default: the DataSource bean named after the target, else
		 * migrations.url, else the application's DataSource.
		 */
		private @Nullable String url;

		/**
		 * Login user of the target's database. Default: migrations.user.
		 */
		private @Nullable String user;

		/**
		 * Login password of the target's database. Default: migrations.password.
		 */
		private @Nullable String password;

		/**
		 * Master changelog of the target. Default: migrations.change-log.
		 */
		private @Nullable String changeLog;

		/**
		 * Liquibase contexts of the target. Default: migrations.contexts.
		 */
		private @Nullable List<String> contexts;

		/**
		 * Liquibase label expression of the target. Default: migrations.label-filter.
		 */
		private @Nullable List<String> labelFilter;

		/**
		 * Default schema of the target (not used for tenants: each tenant's schema is its own). Default:
		 * migrations.default-schema.
		 */
		private @Nullable String defaultSchema;

		/**
		 * Schema of the target's history tables (not used for tenants: each has its own history in its schema).
		 * Default: migrations.liquibase-schema.
		 */
		private @Nullable String liquibaseSchema;

		/**
		 * Changelog parameters of the target, added to (and overriding) migrations.parameters.
		 */
		private Map<String, String> parameters = new HashMap<>();

		/**
		 * What the target does at startup. Default: migrations.mode.
		 */
		private @Nullable MigrationMode mode;

		/**
		 * Tag applied after every successful apply of the target. Default: migrations.tag.
		 */
		private @Nullable String tag;

		private final TargetLock lock = new TargetLock();

		private final TargetHealth health = new TargetHealth();

		private final Tenants tenants = new Tenants();

		public @Nullable String getUrl() {
			return this.url;
		}

		public void setUrl(@Nullable String url) {
			this.url = url;
		}

		public @Nullable String getUser() {
			return this.user;
		}

		public void setUser(@Nullable String user) {
			this.user = user;
		}

		public @Nullable String getPassword() {
			return this.password;
		}

		public void setPassword(@Nullable String password) {
			this.password = password;
		}

		public @Nullable String getChangeLog() {
			return this.changeLog;
		}

		public void setChangeLog(@Nullable String changeLog) {
			this.changeLog = changeLog;
		}

		public @Nullable List<String> getContexts() {
			return this.contexts;
		}

		public void setContexts(@Nullable List<String> contexts) {
			this.contexts = contexts;
		}

		public @Nullable List<String> getLabelFilter() {
			return this.labelFilter;
		}

		public void setLabelFilter(@Nullable List<String> labelFilter) {
			this.labelFilter = labelFilter;
		}

		public @Nullable String getDefaultSchema() {
			return this.defaultSchema;
		}

		public void setDefaultSchema(@Nullable String defaultSchema) {
			this.defaultSchema = defaultSchema;
		}

		public @Nullable String getLiquibaseSchema() {
			return this.liquibaseSchema;
		}

		public void setLiquibaseSchema(@Nullable String liquibaseSchema) {
			this.liquibaseSchema = liquibaseSchema;
		}

		public Map<String, String> getParameters() {
			return this.parameters;
		}

		public void setParameters(Map<String, String> parameters) {
			this.parameters = parameters;
		}

		public @Nullable MigrationMode getMode() {
			return this.mode;
		}

		public void setMode(@Nullable MigrationMode mode) {
			this.mode = mode;
		}

		public @Nullable String getTag() {
			return this.tag;
		}

		public void setTag(@Nullable String tag) {
			this.tag = tag;
		}

		public TargetLock getLock() {
			return this.lock;
		}

		public TargetHealth getHealth() {
			return this.health;
		}

		public Tenants getTenants() {
			return this.tenants;
		}

	}

	public static class TargetLock {

		/**
		 * How long the target's runs wait for another instance's lock. Default: migrations.lock.wait-timeout.
		 */
		private @Nullable Duration waitTimeout;

		public @Nullable Duration getWaitTimeout() {
			return this.waitTimeout;
		}

		public void setWaitTimeout(@Nullable Duration waitTimeout) {
			this.waitTimeout = waitTimeout;
		}

	}

	public static class TargetHealth {

		/**
		 * Health status of the target's component while changesets are pending. Default:
		 * migrations.health.pending-status.
		 */
		private @Nullable String pendingStatus;

		public @Nullable String getPendingStatus() {
			return this.pendingStatus;
		}

		public void setPendingStatus(@Nullable String pendingStatus) {
			this.pendingStatus = pendingStatus;
		}

	}

	public static class Tenants {

		/**
		 * Schemas of the target's database, one tenant each (its objects and its own history in its schema).
		 */
		private List<String> schemas = new ArrayList<>();

		/**
		 * SQL run on the target's database that returns the tenants: one row each, a schema name or a JDBC URL
		 * (a database per tenant, with the target's credentials) in the first column, optionally the tenant's id
		 * in the second.
		 */
		private @Nullable String query;

		/**
		 * What a failing tenant does at startup: 'fail' (startup fails after all tenants were tried, naming the
		 * failed ones) or 'continue' (the application starts; they show as FAILED).
		 */
		private TenantFailureMode onFailure = TenantFailureMode.FAIL;

		public List<String> getSchemas() {
			return this.schemas;
		}

		public void setSchemas(List<String> schemas) {
			this.schemas = schemas;
		}

		public @Nullable String getQuery() {
			return this.query;
		}

		public void setQuery(@Nullable String query) {
			this.query = query;
		}

		public TenantFailureMode getOnFailure() {
			return this.onFailure;
		}

		public void setOnFailure(TenantFailureMode onFailure) {
			this.onFailure = onFailure;
		}

		/** Whether the target has tenants configured by properties. */
		public boolean isConfigured() {
			return !this.schemas.isEmpty() || (this.query != null && !this.query.isBlank());
		}

	}

}
