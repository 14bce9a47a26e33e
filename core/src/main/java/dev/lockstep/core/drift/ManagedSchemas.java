package dev.lockstep.core.drift;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;

import liquibase.GlobalConfiguration;

import org.jspecify.annotations.Nullable;

import dev.lockstep.core.jdbc.HistoryLocation;

/**
 * The schemas whose objects the migrations manage: the default schema (where unqualified changes land) and the
 * history's schema, minus the history tables themselves (Liquibase's DATABASECHANGELOG and DATABASECHANGELOGLOCK,
 * Lockstep's LOCKSTEP_* tables). Resolved on the first connection and kept, like {@link HistoryLocation}.
 */
public final class ManagedSchemas {

	private static final String LOCKSTEP_PREFIX = "lockstep_";

	private final @Nullable String configuredDefault;

	private final HistoryLocation history;

	private volatile @Nullable Resolved resolved;

	/**
	 * @param configuredDefault {@code migrations.default-schema}, or {@code null} for the connection's current
	 * schema
	 * @param history where the history tables live
	 */
	public ManagedSchemas(@Nullable String configuredDefault, HistoryLocation history) {
		this.configuredDefault = configuredDefault;
		this.history = history;
	}

	/**
	 * Schemas resolved on another database: a scratch copy built from the changelog is read with the live
	 * database's schema names, so that both describe their objects alike.
	 */
	public static ManagedSchemas of(Resolved resolved) {
		ManagedSchemas schemas = new ManagedSchemas(resolved.defaultSchema(),
				new HistoryLocation(resolved.historySchema()));
		schemas.resolved = resolved;
		return schemas;
	}

	public Resolved resolve(Connection connection) throws SQLException {
		Resolved current = this.resolved;
		if (current == null) {
			String defaultSchema = (this.configuredDefault != null)
					? HistoryLocation.postgresName(this.configuredDefault) : currentSchema(connection);
			String historySchema = this.history.resolve(connection).schema();
			Set<String> schemas = new LinkedHashSet<>();
			schemas.add(defaultSchema);
			if (historySchema != null) {
				schemas.add(historySchema);
			}
			current = new Resolved(defaultSchema, historySchema, List.copyOf(schemas),
					Set.of(lower(GlobalConfiguration.DATABASECHANGELOG_TABLE_NAME.getCurrentValue()),
							lower(GlobalConfiguration.DATABASECHANGELOGLOCK_TABLE_NAME.getCurrentValue())));
			this.resolved = current;
		}
		return current;
	}

	private static String currentSchema(Connection connection) throws SQLException {
		try (Statement statement = connection.createStatement();
				ResultSet row = statement.executeQuery("SELECT current_schema()")) {
			if (!row.next() || row.getString(1) == null) {
				throw new SQLException("No schema on the search_path exists: there is no default schema to compare");
			}
			return row.getString(1);
		}
	}

	private static String lower(String name) {
		return name.toLowerCase(Locale.ROOT);
	}

	/**
	 * @param defaultSchema the schema whose objects are shown without a schema prefix
	 * @param historySchema the schema of the history tables, or {@code null}
	 * @param schemas every managed schema
	 * @param historyTables the names of Liquibase's history tables, as PostgreSQL folds them
	 */
	public record Resolved(String defaultSchema, @Nullable String historySchema, List<String> schemas,
			Set<String> historyTables) {

		/** Whether a table is one of the history tables (not part of what the migrations made). */
		public boolean isHistoryTable(String schema, String table) {
			if (!schema.equals(this.historySchema)) {
				return false;
			}
			String lower = table.toLowerCase(Locale.ROOT);
			return this.historyTables.contains(lower) || lower.startsWith(LOCKSTEP_PREFIX);
		}

		/** An object's name as shown: bare in the default schema, {@code schema.name} elsewhere. */
		public String display(String schema, String name) {
			return schema.equals(this.defaultSchema) ? name : schema + "." + name;
		}

	}

}
