package dev.lockstep.corpora;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.StringJoiner;

/**
 * A sorted, line-per-object dump of one PostgreSQL schema from {@code pg_catalog}: relations, columns (type,
 * nullability, default, identity, comment), indexes, constraints, views, sequences, functions, triggers, comments
 * and the row count of every table. Two databases migrated the same way give equal dumps.
 */
public final class CatalogDump {

	private static final String RELATIONS = """
			SELECT 'relation', c.relname, c.relkind::text, obj_description(c.oid, 'pg_class')
			FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
			WHERE n.nspname = ? AND c.relkind IN ('r', 'p', 'v', 'm', 'S', 'f', 'c')
			""";

	private static final String COLUMNS = """
			SELECT 'column', c.relname, a.attname, a.attnum::text, format_type(a.atttypid, a.atttypmod),
			       CASE WHEN a.attnotnull THEN 'NOT NULL' ELSE 'NULL' END, pg_get_expr(d.adbin, d.adrelid),
			       a.attidentity::text, a.attgenerated::text, col_description(c.oid, a.attnum)
			FROM pg_attribute a
			JOIN pg_class c ON c.oid = a.attrelid
			JOIN pg_namespace n ON n.oid = c.relnamespace
			LEFT JOIN pg_attrdef d ON d.adrelid = a.attrelid AND d.adnum = a.attnum
			WHERE n.nspname = ? AND c.relkind IN ('r', 'p', 'v', 'm', 'f') AND a.attnum > 0 AND NOT a.attisdropped
			""";

	private static final String INDEXES = """
			SELECT 'index', tablename, indexname, indexdef FROM pg_indexes WHERE schemaname = ?
			""";

	private static final String CONSTRAINTS = """
			SELECT 'constraint', COALESCE(c.relname, '-'), con.conname, con.contype::text,
			       pg_get_constraintdef(con.oid, true), con.condeferrable::text, con.condeferred::text,
			       con.convalidated::text
			FROM pg_constraint con
			JOIN pg_namespace n ON n.oid = con.connamespace
			LEFT JOIN pg_class c ON c.oid = con.conrelid
			WHERE n.nspname = ?
			""";

	private static final String VIEWS = """
			SELECT 'view', viewname, definition FROM pg_views WHERE schemaname = ?
			""";

	private static final String SEQUENCES = """
			SELECT 'sequence', sequencename, data_type::text, start_value::text, min_value::text, max_value::text,
			       increment_by::text, cycle::text, cache_size::text
			FROM pg_sequences WHERE schemaname = ?
			""";

	private static final String FUNCTIONS = """
			SELECT 'function', p.proname, pg_get_function_identity_arguments(p.oid), p.prokind::text,
			       CASE WHEN p.prokind IN ('f', 'p') THEN pg_get_functiondef(p.oid) END
			FROM pg_proc p JOIN pg_namespace n ON n.oid = p.pronamespace
			WHERE n.nspname = ?
			""";

	private static final String TRIGGERS = """
			SELECT 'trigger', c.relname, t.tgname, pg_get_triggerdef(t.oid, true)
			FROM pg_trigger t JOIN pg_class c ON c.oid = t.tgrelid JOIN pg_namespace n ON n.oid = c.relnamespace
			WHERE n.nspname = ? AND NOT t.tgisinternal
			""";

	private static final String TABLES = """
			SELECT c.relname FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
			WHERE n.nspname = ? AND c.relkind IN ('r', 'p')
			""";

	private CatalogDump() {
	}

	/** Lockstep's own records beside Liquibase's history (the last run, verified fingerprints). */
	private static final List<String> LOCKSTEP_TABLES = List.of("lockstep_last_run", "lockstep_verified",
			"lockstep_in_flight", "lockstep_schema_record");

	/**
	 * Every object of the schema, one sorted line each; Lockstep's own record tables are left out, so a schema
	 * migrated by Lockstep compares equal to one migrated by plain Liquibase.
	 */
	public static List<String> dump(Connection connection, String schema) throws SQLException {
		List<String> lines = new ArrayList<>();
		for (String query : List.of(RELATIONS, COLUMNS, INDEXES, CONSTRAINTS, VIEWS, SEQUENCES, FUNCTIONS,
				TRIGGERS)) {
			for (String line : query(connection, query, schema)) {
				if (LOCKSTEP_TABLES.stream().noneMatch((table) -> line.contains("| " + table + " |")
						|| line.contains(table + "_pkey"))) {
					lines.add(line);
				}
			}
		}
		for (String table : tables(connection, schema)) {
			if (LOCKSTEP_TABLES.contains(table)) {
				continue;
			}
			try (Statement statement = connection.createStatement();
					ResultSet rows = statement.executeQuery("SELECT count(*) FROM " + quote(schema) + "."
							+ quote(table))) {
				rows.next();
				lines.add("rows | " + table + " | " + rows.getLong(1));
			}
		}
		Collections.sort(lines);
		return lines;
	}

	/** Names of the schema's tables. */
	static List<String> tables(Connection connection, String schema) throws SQLException {
		List<String> tables = new ArrayList<>();
		try (PreparedStatement statement = connection.prepareStatement(TABLES)) {
			statement.setString(1, schema);
			try (ResultSet rows = statement.executeQuery()) {
				while (rows.next()) {
					tables.add(rows.getString(1));
				}
			}
		}
		return tables;
	}

	private static List<String> query(Connection connection, String sql, String schema) throws SQLException {
		List<String> lines = new ArrayList<>();
		try (PreparedStatement statement = connection.prepareStatement(sql)) {
			statement.setString(1, schema);
			try (ResultSet rows = statement.executeQuery()) {
				int columns = rows.getMetaData().getColumnCount();
				while (rows.next()) {
					StringJoiner line = new StringJoiner(" | ");
					for (int i = 1; i <= columns; i++) {
						line.add(String.valueOf(rows.getString(i)));
					}
					lines.add(line.toString());
				}
			}
		}
		return lines;
	}

	private static String quote(String identifier) {
		return '"' + identifier.replace("\"", "\"\"") + '"';
	}

}
