package dev.lockstep.core.targets;

import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;

import javax.sql.DataSource;

import org.jspecify.annotations.Nullable;

import dev.lockstep.core.MigrationEngine;
import dev.lockstep.core.MigrationMonitor;
import dev.lockstep.core.StatusSnapshot;
import dev.lockstep.core.api.MigrationMode;
import dev.lockstep.core.api.RunResult;
import dev.lockstep.core.api.SchemaState;
import dev.lockstep.core.jdbc.DatabaseSessions;
import dev.lockstep.core.jdbc.HistoryLocation;
import dev.lockstep.core.jdbc.SchemaPinnedDataSource;
import dev.lockstep.core.problem.DatabaseUnavailableException;
import dev.lockstep.core.problem.MigrationException;

/**
 * One tenant of a target: its engine (its schema's history, lock and fast-path record), its monitor, and the
 * error of its last failed run.
 */
public final class MigrationTenant {

	private final String target;

	private final Tenant tenant;

	private final MigrationEngine engine;

	private final MigrationMonitor monitor;

	/** Where a schema tenant's schema is created; {@code null} for database tenants. */
	private final @Nullable DataSource schemaOwner;

	private volatile @Nullable MigrationException failure;

	private volatile @Nullable MigrationMode lastRunMode;

	/** Set once the tenant's schema is known to exist (checked for all tenants at once before a batch). */
	private volatile boolean schemaExists;

	MigrationTenant(String target, Tenant tenant, MigrationEngine engine, MigrationMonitor monitor,
			@Nullable DataSource schemaOwner) {
		this.target = target;
		this.tenant = tenant;
		this.engine = engine;
		this.monitor = monitor;
		this.schemaOwner = schemaOwner;
	}

	public String id() {
		return this.tenant.id();
	}

	public String target() {
		return this.target;
	}

	public Tenant tenant() {
		return this.tenant;
	}

	public MigrationEngine engine() {
		return this.engine;
	}

	public MigrationMonitor monitor() {
		return this.monitor;
	}

	/** Why the tenant's last run failed, or {@code null} when it did not. */
	public @Nullable MigrationException failure() {
		return this.failure;
	}

	/** The tenant's status, as its monitor caches it. */
	public StatusSnapshot snapshot() {
		return this.monitor.snapshot();
	}

	/**
	 * Where the tenant stands: its monitor's state, except that a tenant whose last apply failed (before or while
	 * running a changeset, e.g. its schema could not be created) is {@code FAILED} until a run succeeds.
	 */
	public SchemaState state() {
		SchemaState state = snapshot().state();
		if (this.failure != null && this.lastRunMode == MigrationMode.APPLY
				&& (state == SchemaState.PENDING || state == SchemaState.UP_TO_DATE)) {
			return SchemaState.FAILED;
		}
		return state;
	}

	/**
	 * Runs the tenant in the given mode (creating its schema first when applying), recording a failure instead of
	 * losing it.
	 * @throws MigrationException when the run fails
	 */
	public RunResult run(MigrationMode mode) {
		this.lastRunMode = mode;
		try {
			requireFoldedSchemaName();
			if (mode == MigrationMode.APPLY) {
				createSchemaIfMissing();
			}
			RunResult result = this.engine.run(mode);
			this.failure = null;
			return result;
		}
		catch (MigrationException ex) {
			this.failure = ex;
			this.monitor.invalidate();
			throw ex;
		}
		catch (RuntimeException ex) {
			MigrationException failure = new MigrationException("Tenant " + id() + " of target " + this.target
					+ " failed: " + ex, "See the log for the cause, fix it and migrate the tenant again.", ex);
			this.failure = failure;
			this.monitor.invalidate();
			throw failure;
		}
	}

	/**
	 * A schema name that mixes upper and lower case is kept as written (quoted) by Liquibase for its tables, but
	 * not for the statements on its lock table: refused with a clear error instead of failing half-way.
	 */
	private void requireFoldedSchemaName() {
		String schema = this.tenant.schema();
		if (schema != null && !schema.equals(schema.toLowerCase(java.util.Locale.ROOT))
				&& !schema.equals(schema.toUpperCase(java.util.Locale.ROOT))) {
			throw new MigrationException("Tenant " + id() + " of target " + this.target + " has the schema " + schema
					+ ", which mixes upper and lower case.",
					"Name tenant schemas in lower case (an unquoted PostgreSQL name), e.g. "
							+ schema.toLowerCase(java.util.Locale.ROOT) + ".");
		}
	}

	/**
	 * The tenant's schema, created when missing: Liquibase creates its history tables but not the schema they go
	 * in. Instances starting together may race for it; the loser finds it created.
	 */
	private void createSchemaIfMissing() {
		String schema = this.tenant.schema();
		if (this.schemaOwner == null || schema == null || this.schemaExists) {
			return;
		}
		try (Connection connection = this.schemaOwner.getConnection()) {
			if (!DatabaseSessions.isPostgres(connection)) {
				return;
			}
			connection.setAutoCommit(true);
			try (Statement statement = connection.createStatement()) {
				statement.execute("CREATE SCHEMA IF NOT EXISTS "
						+ SchemaPinnedDataSource.quoted(HistoryLocation.postgresName(schema)));
			}
			catch (SQLException ex) {
				// 23505/42P06: another instance created it between the check and the insert.
				if (!"23505".equals(ex.getSQLState()) && !"42P06".equals(ex.getSQLState())) {
					throw ex;
				}
			}
			this.schemaExists = true;
		}
		catch (SQLException ex) {
			if (ex.getSQLState() != null && ex.getSQLState().startsWith("08")) {
				throw new DatabaseUnavailableException(this.engine.displayUrl(), ex);
			}
			throw new MigrationException("Schema " + schema + " of tenant " + id() + " (target " + this.target
					+ ") does not exist and cannot be created: " + ex.getMessage(),
					"Create the schema, or grant CREATE on the database to the migration user, then migrate the "
							+ "tenant again.",
					ex);
		}
	}

	/** The schema this tenant's objects live in as PostgreSQL names it, or {@code null} for a database tenant. */
	@Nullable String resolvedSchema() {
		String schema = this.tenant.schema();
		return (schema != null) ? HistoryLocation.postgresName(schema) : null;
	}

	void schemaExists() {
		this.schemaExists = true;
	}

	@Override
	public String toString() {
		return this.target + "/" + id();
	}

}
