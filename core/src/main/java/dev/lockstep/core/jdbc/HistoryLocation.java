package dev.lockstep.core.jdbc;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Locale;

import org.jspecify.annotations.Nullable;


/**
 * Where the history tables live, as the database resolves it: the schema Liquibase writes DATABASECHANGELOG into,
 * and with it the migration lock's key and the schema of Lockstep's own tables.
 * <p>
 * On PostgreSQL the schema is {@code migrations.liquibase-schema} if set, else {@code migrations.default-schema},
 * else the connection's {@code current_schema()} (the first existing schema of its {@code search_path}). A
 * configured name is spelled as Liquibase spells it: folded to lower case like any unquoted PostgreSQL name,
 * unless it mixes upper and lower case (Liquibase quotes those, keeping their case). So an unset schema and
 * {@code public} (or {@code PUBLIC}) are one table and one lock, and services with different search paths have
 * different ones. Resolved once, on the first connection, and kept: all connections of an engine share the
 * DataSource's settings.
 */
public final class HistoryLocation {

	private final @Nullable String configuredSchema;

	private volatile @Nullable Resolved resolved;

	/**
	 * @param configuredSchema the configured history schema (liquibase-schema, else default-schema), or
	 * {@code null} for the connection's current schema
	 */
	public HistoryLocation(@Nullable String configuredSchema) {
		this.configuredSchema = configuredSchema;
	}

	/** The history's location, resolved on this connection the first time and kept. */
	public Resolved resolve(Connection connection) throws SQLException {
		Resolved current = this.resolved;
		if (current == null) {
			current = DatabaseSessions.isPostgres(connection) ? resolvePostgres(connection)
					: new Resolved(this.configuredSchema, false);
			this.resolved = current;
		}
		return current;
	}

	/**
	 * The qualified name of a table beside the history, for plain SQL on this connection. When the location cannot
	 * be resolved (a broken connection), the configured schema as written, so that the caller's statement reports
	 * the problem.
	 */
	public String table(Connection connection, String table) {
		try {
			return resolve(connection).table(table);
		}
		catch (SQLException ex) {
			return new Resolved(this.configuredSchema, false).table(table);
		}
	}

	private Resolved resolvePostgres(Connection connection) throws SQLException {
		if (this.configuredSchema != null) {
			return new Resolved(postgresName(this.configuredSchema), true);
		}
		try (Statement statement = connection.createStatement();
				ResultSet row = statement.executeQuery("SELECT current_schema()")) {
			row.next();
			// No existing schema on the search path: Liquibase cannot create its tables either; its error says so.
			return new Resolved(row.getString(1), true);
		}
	}

	/**
	 * A configured schema name as PostgreSQL resolves the name Liquibase 4.33 writes: Liquibase quotes names that
	 * mix upper and lower case and leaves others unquoted, which PostgreSQL folds to lower case.
	 */
	public static String postgresName(String configured) {
		boolean upper = !configured.equals(configured.toLowerCase(Locale.ROOT));
		boolean lower = !configured.equals(configured.toUpperCase(Locale.ROOT));
		return (upper && lower) ? configured : configured.toLowerCase(Locale.US);
	}

	/**
	 * @param schema the schema as the database names it, or {@code null} for the connection's default (databases
	 * other than PostgreSQL, without a configured schema)
	 * @param quoted whether to quote the schema in SQL (the name is exact, as PostgreSQL resolved it)
	 */
	public record Resolved(@Nullable String schema, boolean quoted) {

		public String table(String table) {
			if (this.schema == null) {
				return table;
			}
			return (this.quoted ? "\"" + this.schema.replace("\"", "\"\"") + "\"" : this.schema) + "." + table;
		}

	}

}
