package dev.lockstep.core.targets;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;
import java.util.function.Function;

import javax.sql.DataSource;

import liquibase.resource.ResourceAccessor;

import dev.lockstep.core.MigrationEngine;
import dev.lockstep.core.MigrationMonitor;
import dev.lockstep.core.api.MigrationMode;
import dev.lockstep.core.api.MigrationRunListener;
import dev.lockstep.core.api.MigrationSettings;
import dev.lockstep.core.changelog.SharedChangeLog;
import dev.lockstep.core.jdbc.DatabaseSessions;
import dev.lockstep.core.jdbc.HistoryLocation;
import dev.lockstep.core.jdbc.ReusedConnections;
import dev.lockstep.core.jdbc.SchemaPinnedDataSource;

/**
 * Makes the engine of each tenant of one target: the target's settings on the tenant's schema (its objects and its
 * own history, so its own lock key and fast-path record), connections pinned to that schema, and the changelog
 * parsed once for the whole target. Database tenants get a DataSource for their URL, one changelog parse per
 * target as well.
 */
public final class TenantEngines {

	/** Each run in flight holds up to three connections (status, lock, run); four runs at a time is the default. */
	private static final int MAX_IDLE = 12;

	private final String target;

	private final DataSource dataSource;

	private final Function<String, DataSource> databases;

	private final MigrationSettings settings;

	private final Consumer<MigrationEngine> configurer;

	private final MigrationMode mode;

	private final Duration statusTimeToLive;

	private final SharedChangeLog schemaChangeLog;

	private final SharedChangeLog databaseChangeLog;

	/** Database tenants' DataSources, by URL: made once, whichever tenant lists them. */
	private final Map<String, ReusedConnections> databaseDataSources = new ConcurrentHashMap<>();

	/** Listeners of every tenant's runs, present and future. */
	private final List<MigrationRunListener> listeners = new CopyOnWriteArrayList<>();

	/** The target database's connections, reused from one tenant's run to the next during a batch. */
	private final ReusedConnections connections;

	/**
	 * @param target the target's name
	 * @param dataSource the target's database, where schema tenants live
	 * @param databases a DataSource for a database tenant's JDBC URL, with the target's credentials
	 * @param resources where the changelog is read from
	 * @param settings the target's settings; a schema tenant gets its schema as default and history schema
	 * @param configurer configures each tenant's engine like the target's (lock timeout, lint, drift, wording)
	 * @param mode the target's startup mode, for the monitors
	 * @param statusTimeToLive how long a tenant's status is reused
	 */
	public TenantEngines(String target, DataSource dataSource, Function<String, DataSource> databases,
			ResourceAccessor resources, MigrationSettings settings, Consumer<MigrationEngine> configurer,
			MigrationMode mode, Duration statusTimeToLive) {
		this.target = target;
		this.dataSource = dataSource;
		this.connections = new ReusedConnections(dataSource, MAX_IDLE);
		this.databases = databases;
		this.settings = settings;
		this.configurer = configurer;
		this.mode = mode;
		this.statusTimeToLive = statusTimeToLive;
		this.schemaChangeLog = new SharedChangeLog(resources, true);
		this.databaseChangeLog = new SharedChangeLog(resources, true);
	}

	public String target() {
		return this.target;
	}

	public MigrationMode mode() {
		return this.mode;
	}

	/** Adds a listener to the engines of tenants created from now on. */
	void addListener(MigrationRunListener listener) {
		this.listeners.add(listener);
	}

	/**
	 * Notes which of the tenants' schemas exist, in one query for the whole batch, so that each tenant's run
	 * creates its schema only when it is missing (a restart of a large fleet then costs no statement per tenant for
	 * it). Best effort: a tenant whose schema is not known to exist still creates it if needed.
	 */
	void checkSchemas(Collection<MigrationTenant> tenants) {
		Map<String, MigrationTenant> bySchema = new HashMap<>();
		for (MigrationTenant tenant : tenants) {
			String schema = tenant.resolvedSchema();
			if (schema != null) {
				bySchema.put(schema, tenant);
			}
		}
		if (bySchema.isEmpty()) {
			return;
		}
		try (Connection connection = this.connections.getConnection();
				PreparedStatement statement = connection
					.prepareStatement("SELECT nspname FROM pg_namespace WHERE nspname = ANY (?)")) {
			if (!DatabaseSessions.isPostgres(connection)) {
				return;
			}
			statement.setArray(1, connection.createArrayOf("text", bySchema.keySet().toArray()));
			try (ResultSet rows = statement.executeQuery()) {
				while (rows.next()) {
					MigrationTenant tenant = bySchema.get(rows.getString(1));
					if (tenant != null) {
						tenant.schemaExists();
					}
				}
			}
		}
		catch (SQLException | RuntimeException ex) {
			// Each tenant's run checks its schema itself.
		}
	}

	/**
	 * How often the changelog was parsed for this target's tenants so far: once per tenant run going on at the same
	 * time (at most the parallelism, whatever the number of tenants).
	 */
	public int changeLogParses() {
		return this.schemaChangeLog.parses() + this.databaseChangeLog.parses();
	}

	/** Closes the connections kept for reuse: called when a batch of runs or status reads is over. */
	public void closeIdle() {
		this.connections.closeIdle();
		this.databaseDataSources.values().forEach(ReusedConnections::closeIdle);
	}

	/** A new engine and monitor for the tenant. */
	public MigrationTenant create(Tenant tenant) {
		MigrationEngine engine;
		DataSource schemaOwner = null;
		String jdbcUrl = tenant.jdbcUrl();
		if (jdbcUrl != null) {
			DataSource database = this.databaseDataSources.computeIfAbsent(jdbcUrl,
					(url) -> new ReusedConnections(this.databases.apply(url), 3));
			engine = new MigrationEngine(database, this.databaseChangeLog, this.settings);
		}
		else {
			String schema = tenant.schema();
			String resolved = HistoryLocation.postgresName(schema);
			engine = new MigrationEngine(new SchemaPinnedDataSource(this.connections, resolved),
					this.schemaChangeLog, this.settings.withSchemas(schema, schema));
			schemaOwner = this.connections;
		}
		this.configurer.accept(engine);
		this.listeners.forEach(engine::addListener);
		MigrationMonitor monitor = new MigrationMonitor(engine, this.mode, this.statusTimeToLive);
		engine.addListener(monitor);
		return new MigrationTenant(this.target, tenant, engine, monitor, schemaOwner);
	}

}
