package dev.lockstep.core.command;

import java.security.SecureRandom;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Set;

import javax.sql.DataSource;

import liquibase.RuntimeEnvironment;
import liquibase.Scope;
import liquibase.changelog.ChangeLogHistoryServiceFactory;
import liquibase.changelog.ChangeLogIterator;
import liquibase.changelog.ChangeSet;
import liquibase.changelog.filter.ChangeSetFilter;
import liquibase.changelog.filter.ChangeSetFilterResult;
import liquibase.changelog.visitor.UpdateVisitor;
import liquibase.database.Database;

import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import dev.lockstep.core.api.ChangeSetRef;
import dev.lockstep.core.changelog.ChangeLogLoader;
import dev.lockstep.core.changelog.LiquibaseScope;
import dev.lockstep.core.changelog.LoadedChangeLog;
import dev.lockstep.core.drift.CatalogReader;
import dev.lockstep.core.drift.ManagedSchemas;
import dev.lockstep.core.drift.SchemaDescription;
import dev.lockstep.core.jdbc.DatabaseSessions;
import dev.lockstep.core.problem.DatabaseErrors;
import dev.lockstep.core.problem.MigrationException;
import dev.lockstep.core.problem.Phrase;
import dev.lockstep.core.problem.Wording.Option;
import dev.lockstep.core.run.RunContext;
import dev.lockstep.core.status.StatusReader;

/**
 * The schema the changelog makes, built where it cannot touch the live one: a scratch database on the same server
 * ({@code lockstep_scratch_<random>}), created, given the managed schemas and the live session's
 * {@code search_path}, migrated with exactly the changesets the live history records as applied (in changelog
 * order, with the engine's parameters; pending changesets are left out), read with the live database's schema
 * names, and always dropped again, also when a changeset fails.
 */
final class ScratchSchema {

	private static final Logger logger = LoggerFactory.getLogger("dev.lockstep.Migrations");

	static final String PREFIX = "lockstep_scratch_";

	private static final SecureRandom RANDOM = new SecureRandom();

	private final RunContext context;

	ScratchSchema(RunContext context) {
		this.context = context;
	}

	/**
	 * Builds the expected schema.
	 * @param live a connection to the live database (autocommit), which creates and drops the scratch database
	 * @param schemas the live database's managed schemas
	 * @param applied the keys ({@link ChangeSetRef#key}) of the changesets the live history records
	 */
	SchemaDescription build(Connection live, ManagedSchemas.Resolved schemas, Set<String> applied)
			throws SQLException {
		String searchPath = searchPath(live);
		try {
			return build(live, schemas, applied, searchPath, List.of());
		}
		catch (ChangeSetFailure failure) {
			// A changeset may rely on an extension installed on the live database by other means (provisioning,
			// a DBA): try once more with the live database's extensions in place.
			List<String> extensions = extensions(live);
			if (extensions.isEmpty()) {
				throw failure;
			}
			logger.info("A changeset failed in the scratch database; trying again with the live database's "
					+ "extensions installed first ({})", extensions);
			return build(live, schemas, applied, searchPath, extensions);
		}
	}

	private SchemaDescription build(Connection live, ManagedSchemas.Resolved schemas, Set<String> applied,
			String searchPath, List<String> extensions) throws SQLException {
		byte[] random = new byte[6];
		RANDOM.nextBytes(random);
		String name = PREFIX + HexFormat.of().formatHex(random);
		create(live, name);
		try {
			DataSource dataSource = this.context.serverDataSources().forDatabase(name);
			if (dataSource == null) {
				throw new MigrationException("Cannot connect to a scratch database on the server of "
						+ this.context.displayUrl() + ": the migration DataSource does not tell its URL and "
						+ "credentials. Nothing was changed.", (wording) -> "Give the engine a way to connect to "
								+ "another database on the same server (MigrationEngine.connectToOtherDatabasesWith), "
								+ "or compare with the record instead (leave out " + wording.option(Option.AGAINST)
								+ ").");
			}
			return migrate(dataSource, name, searchPath, schemas, applied, extensions);
		}
		finally {
			drop(live, name);
		}
	}

	/** {@code CREATE EXTENSION} statements for the live database's extensions (plpgsql aside). */
	private static List<String> extensions(Connection live) throws SQLException {
		List<String> statements = new java.util.ArrayList<>();
		try (Statement statement = live.createStatement();
				ResultSet rows = statement.executeQuery("SELECT e.extname, n.nspname FROM pg_extension e "
						+ "JOIN pg_namespace n ON n.oid = e.extnamespace WHERE e.extname <> 'plpgsql' ORDER BY 1")) {
			while (rows.next()) {
				statements.add("CREATE SCHEMA IF NOT EXISTS " + quote(rows.getString(2)) + ";\nCREATE EXTENSION IF NOT "
						+ "EXISTS " + quote(rows.getString(1)) + " WITH SCHEMA " + quote(rows.getString(2)));
			}
		}
		return statements;
	}

	private SchemaDescription migrate(DataSource dataSource, String name, String searchPath,
			ManagedSchemas.Resolved schemas, Set<String> applied, List<String> extensions) throws SQLException {
		Connection connection;
		try {
			connection = dataSource.getConnection();
		}
		catch (SQLException ex) {
			throw new MigrationException(Phrase.of("Cannot connect to the scratch database " + name + " (created on "
					+ "the server of " + this.context.displayUrl() + " and dropped again): " + DatabaseErrors.message(ex)
					+ ". Nothing was changed."), (wording) -> "Let the migration user connect to databases it "
							+ "creates (pg_hba.conf, CONNECT privilege), or compare with the record (leave out "
							+ wording.option(Option.AGAINST) + ").",
					ex);
		}
		Database database = null;
		try {
			try (Statement statement = connection.createStatement()) {
				statement.execute("SET application_name = 'lockstep-diff'");
				for (String schema : schemas.schemas()) {
					statement.execute("CREATE SCHEMA IF NOT EXISTS " + quote(schema));
				}
				for (String extension : extensions) {
					statement.execute(extension);
				}
				// Unqualified names in raw SQL land where they land on the live database.
				statement.execute("SET search_path TO " + searchPath);
			}
			database = this.context.sessions().liquibaseDatabase(connection);
			apply(database, applied, name);
			return new CatalogReader(ManagedSchemas.of(schemas)).read(connection);
		}
		finally {
			forget(database);
			DatabaseSessions.closeQuietly(database, connection);
		}
	}

	private void apply(Database database, Set<String> applied, String name) {
		// A changelog of its own (the cached one belongs to the live database's status reads).
		LoadedChangeLog changeLog = new ChangeLogLoader(this.context.resources()).load(database,
				this.context.settings());
		ChangeLogIterator iterator = new ChangeLogIterator(changeLog.changeLog(), new AppliedOnLive(applied));
		try {
			LiquibaseScope.call(this.context.resources(), database, Map.of(), () -> {
				// Parsing cached the read-only history service for this database; the apply needs the real one.
				ChangeLogHistoryServiceFactory histories = Scope.getCurrentScope()
					.getSingleton(ChangeLogHistoryServiceFactory.class);
				histories.resetAll();
				histories.getChangeLogService(database).init();
				iterator.run(new UpdateVisitor(database, null),
						new RuntimeEnvironment(database, changeLog.contexts(), changeLog.labels()));
				return null;
			});
		}
		catch (Exception ex) {
			List<ChangeSet> failed = iterator.getExceptionChangeSets();
			String which = failed.isEmpty() ? "" : " at changeset " + StatusReader.ref(failed.get(failed.size() - 1));
			throw new ChangeSetFailure("Building the expected schema from the changelog failed" + which
					+ " in the scratch database " + name + " (dropped again; the live database was not touched): "
					+ DatabaseErrors.message(ex),
					"The changeset runs in an empty database on the same server (with the live database's "
							+ "extensions, on a second attempt): if it needs something else the changelog does not "
							+ "create (a table made by hand, a role, another schema), create that by a changeset or "
							+ "in template1; otherwise fix the changeset.",
					ex);
		}
		finally {
			Scope.getCurrentScope().getSingleton(ChangeLogHistoryServiceFactory.class).resetAll();
		}
	}

	private static String searchPath(Connection live) throws SQLException {
		try (Statement statement = live.createStatement(); ResultSet row = statement.executeQuery("SHOW search_path")) {
			row.next();
			return row.getString(1);
		}
	}

	private void create(Connection live, String name) {
		try (Statement statement = live.createStatement()) {
			statement.execute("CREATE DATABASE " + name);
		}
		catch (SQLException ex) {
			boolean privilege = "42501".equals(ex.getSQLState());
			throw new MigrationException("Cannot create the scratch database " + name + " that the changelog is "
					+ "applied to (the live schema is never touched): " + DatabaseErrors.message(ex)
					+ ". Nothing was changed.",
					privilege ? "Grant the migration user CREATEDB (ALTER ROLE <user> CREATEDB), or run the command "
							+ "as a user that has it." : "Check that the migration user may create databases.",
					ex);
		}
		logger.debug("Created the scratch database {}", name);
	}

	/** Drops the scratch database, ending any session still on it (PostgreSQL 13 and later). */
	private static void drop(Connection live, String name) {
		try (Statement statement = live.createStatement()) {
			boolean force = live.getMetaData().getDatabaseMajorVersion() >= 13;
			statement.execute("DROP DATABASE IF EXISTS " + name + (force ? " WITH (FORCE)" : ""));
			logger.debug("Dropped the scratch database {}", name);
		}
		catch (SQLException ex) {
			logger.warn("Could not drop the scratch database {} ({}); drop it by hand: DROP DATABASE {}", name,
					ex.getMessage(), name);
		}
	}

	private static void forget(@Nullable Database database) {
		if (database != null) {
			Scope.getCurrentScope().getSingleton(liquibase.executor.ExecutorService.class).clearExecutor("jdbc",
					database);
		}
	}

	static String quote(String identifier) {
		return "\"" + identifier.replace("\"", "\"\"") + "\"";
	}

	/** A changeset failed in the scratch database. */
	private static final class ChangeSetFailure extends MigrationException {

		ChangeSetFailure(String message, String action, Throwable cause) {
			super(message, action, cause);
		}

	}

	/** Lets through the changesets the live history records, and only those. */
	private record AppliedOnLive(Set<String> applied) implements ChangeSetFilter {

		@Override
		public ChangeSetFilterResult accepts(ChangeSet changeSet) {
			boolean accepted = this.applied.contains(ChangeSetRef.key(changeSet));
			return new ChangeSetFilterResult(accepted,
					accepted ? "Applied on the live database" : "Not applied on the live database",
					AppliedOnLive.class, "appliedOnLive", "applied on the live database");
		}

	}

}
