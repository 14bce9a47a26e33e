package dev.lockstep.core.drift;

import java.sql.Array;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;

import org.jspecify.annotations.Nullable;

import dev.lockstep.core.jdbc.DatabaseSessions;

/**
 * Reads a normalised description of the managed schemas from PostgreSQL's catalog, in one transaction and a query
 * per kind of object. Definitions come from PostgreSQL's own deparsers ({@code pg_get_indexdef},
 * {@code pg_get_constraintdef}, {@code pg_get_viewdef}, {@code pg_get_functiondef}, {@code pg_get_triggerdef},
 * {@code format_type}) with {@code search_path} set to {@code pg_catalog} for the read, so every name in them is
 * schema-qualified whatever the session's own path, and with the time zone and the date, interval and float output
 * styles pinned, so that constants in them read the same from every session. Objects owned by extensions are left
 * out, and so are the history tables (Liquibase's and Lockstep's); the extensions themselves are described (name and
 * version).
 */
public final class CatalogReader {

	/** Reads wait this long at most for a lock (a view's definition locks what it reads; an ALTER may hold it). */
	static final String LOCK_TIMEOUT = "2s";

	private static final String NOT_EXTENSION_OWNED = """
			NOT EXISTS (SELECT 1 FROM pg_depend e WHERE e.classid = '%s'::regclass AND e.objid = %s AND e.deptype = 'e')
			""";

	private static final String RELATIONS = """
			SELECT n.nspname, c.relname, c.relkind::text, c.relpersistence::text, c.relrowsecurity,
			       c.relforcerowsecurity,
			       CASE WHEN c.relispartition THEN
			         (SELECT quote_ident(pn.nspname) || '.' || quote_ident(p.relname) FROM pg_inherits i
			          JOIN pg_class p ON p.oid = i.inhparent JOIN pg_namespace pn ON pn.oid = p.relnamespace
			          WHERE i.inhrelid = c.oid LIMIT 1) || ' ' || pg_get_expr(c.relpartbound, c.oid) END,
			       CASE WHEN c.relkind = 'p' THEN pg_get_partkeydef(c.oid) END,
			       CASE WHEN c.relkind IN ('v', 'm') THEN pg_get_viewdef(c.oid, true) END,
			       CASE WHEN c.relkind = 'S' THEN
			         (SELECT format_type(s.seqtypid, NULL) || ' start ' || s.seqstart || ' increment ' || s.seqincrement
			                 || ' min ' || s.seqmin || ' max ' || s.seqmax || ' cache ' || s.seqcache
			                 || CASE WHEN s.seqcycle THEN ' cycle' ELSE '' END
			          FROM pg_sequence s WHERE s.seqrelid = c.oid) END,
			       (SELECT d.deptype::text || ' ' || quote_ident(dn.nspname) || '.' || quote_ident(dc.relname) || '.'
			               || quote_ident(a.attname)
			        FROM pg_depend d JOIN pg_class dc ON dc.oid = d.refobjid
			        JOIN pg_namespace dn ON dn.oid = dc.relnamespace
			        JOIN pg_attribute a ON a.attrelid = d.refobjid AND a.attnum = d.refobjsubid
			        WHERE c.relkind = 'S' AND d.classid = 'pg_class'::regclass AND d.objid = c.oid
			          AND d.refclassid = 'pg_class'::regclass AND d.deptype IN ('a', 'i') LIMIT 1)
			FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
			WHERE n.nspname = ANY (?) AND c.relkind IN ('r', 'p', 'v', 'm', 'S', 'f') AND %s
			""".formatted(NOT_EXTENSION_OWNED.formatted("pg_class", "c.oid"));

	/**
	 * A default cannot refer to columns, so it is deparsed without its table ({@code pg_get_expr(adbin, 0)}): the
	 * same text, without opening and locking each table (a third of this query's time on 1,000 tables). Only a
	 * generated column's expression, which refers to columns, is deparsed with its table.
	 */
	private static final String COLUMNS = """
			SELECT n.nspname, c.relname, a.attname, format_type(a.atttypid, a.atttypmod), a.attnotnull,
			       CASE WHEN a.attgenerated = '' THEN pg_get_expr(ad.adbin, 0) ELSE pg_get_expr(ad.adbin, ad.adrelid) END,
			       a.attidentity::text, a.attgenerated::text,
			       CASE WHEN a.attcollation <> t.typcollation THEN quote_ident(co.collname) END
			FROM pg_attribute a
			JOIN pg_class c ON c.oid = a.attrelid
			JOIN pg_namespace n ON n.oid = c.relnamespace
			JOIN pg_type t ON t.oid = a.atttypid
			LEFT JOIN pg_attrdef ad ON ad.adrelid = a.attrelid AND ad.adnum = a.attnum
			LEFT JOIN pg_collation co ON co.oid = a.attcollation
			WHERE n.nspname = ANY (?) AND c.relkind IN ('r', 'p', 'f') AND a.attnum > 0 AND NOT a.attisdropped
			  AND %s
			""".formatted(NOT_EXTENSION_OWNED.formatted("pg_class", "c.oid"));

	private static final String CONSTRAINTS = """
			SELECT n.nspname, c.relname, con.conname, pg_get_constraintdef(con.oid)
			FROM pg_constraint con
			JOIN pg_class c ON c.oid = con.conrelid
			JOIN pg_namespace n ON n.oid = c.relnamespace
			WHERE n.nspname = ANY (?) AND con.contype IN ('p', 'u', 'f', 'c', 'x') AND %s
			""".formatted(NOT_EXTENSION_OWNED.formatted("pg_class", "c.oid"));

	/** Indexes of their own: those behind a primary key, unique or exclusion constraint are that constraint. */
	private static final String INDEXES = """
			SELECT n.nspname, t.relname, i.relname, pg_get_indexdef(x.indexrelid), x.indisvalid
			FROM pg_index x
			JOIN pg_class i ON i.oid = x.indexrelid
			JOIN pg_class t ON t.oid = x.indrelid
			JOIN pg_namespace n ON n.oid = i.relnamespace
			WHERE n.nspname = ANY (?)
			  AND NOT EXISTS (SELECT 1 FROM pg_constraint k WHERE k.conindid = x.indexrelid
			                  AND k.conrelid = x.indrelid AND k.contype IN ('p', 'u', 'x'))
			  AND %s
			""".formatted(NOT_EXTENSION_OWNED.formatted("pg_class", "t.oid"));

	private static final String ROUTINES = """
			SELECT n.nspname, p.proname, pg_get_function_identity_arguments(p.oid), p.prokind::text,
			       CASE WHEN p.prokind <> 'a' THEN pg_get_functiondef(p.oid)
			            ELSE (SELECT 'aggregate ' || ag.aggtransfn::text || ' ' || format_type(ag.aggtranstype, NULL)
			                         || CASE WHEN ag.aggfinalfn <> 0 THEN ' final ' || ag.aggfinalfn::text ELSE '' END
			                  FROM pg_aggregate ag WHERE ag.aggfnoid = p.oid) END
			FROM pg_proc p JOIN pg_namespace n ON n.oid = p.pronamespace
			WHERE n.nspname = ANY (?) AND %s
			""".formatted(NOT_EXTENSION_OWNED.formatted("pg_proc", "p.oid"));

	private static final String TRIGGERS = """
			SELECT n.nspname, c.relname, t.tgname, pg_get_triggerdef(t.oid), t.tgenabled::text
			FROM pg_trigger t
			JOIN pg_class c ON c.oid = t.tgrelid
			JOIN pg_namespace n ON n.oid = c.relnamespace
			WHERE n.nspname = ANY (?) AND NOT t.tgisinternal AND %s
			""".formatted(NOT_EXTENSION_OWNED.formatted("pg_class", "c.oid"));

	private static final String TYPES = """
			SELECT n.nspname, t.typname,
			       CASE t.typtype
			         WHEN 'e' THEN 'enum (' || COALESCE((SELECT string_agg(quote_literal(e.enumlabel), ', '
			                                             ORDER BY e.enumsortorder)
			                                             FROM pg_enum e WHERE e.enumtypid = t.oid), '') || ')'
			         WHEN 'd' THEN 'domain ' || format_type(t.typbasetype, t.typtypmod)
			                       || CASE WHEN t.typnotnull THEN ' not null' ELSE '' END
			                       || COALESCE(' default ' || t.typdefault, '')
			                       || COALESCE((SELECT ' ' || string_agg('constraint ' || quote_ident(k.conname) || ' '
			                                                  || pg_get_constraintdef(k.oid), ' ' ORDER BY k.conname)
			                                    FROM pg_constraint k WHERE k.contypid = t.oid AND k.contype <> 'n'), '')
			         WHEN 'c' THEN 'composite (' || COALESCE((SELECT string_agg(quote_ident(a.attname) || ' '
			                                                  || format_type(a.atttypid, a.atttypmod), ', ' ORDER BY a.attnum)
			                                                  FROM pg_attribute a WHERE a.attrelid = t.typrelid
			                                                  AND a.attnum > 0 AND NOT a.attisdropped), '') || ')'
			         ELSE 'range of ' || (SELECT format_type(r.rngsubtype, NULL) FROM pg_range r WHERE r.rngtypid = t.oid)
			       END
			FROM pg_type t JOIN pg_namespace n ON n.oid = t.typnamespace
			WHERE n.nspname = ANY (?) AND t.typtype IN ('e', 'd', 'c', 'r')
			  AND (t.typtype <> 'c' OR (SELECT c.relkind FROM pg_class c WHERE c.oid = t.typrelid) = 'c')
			  AND %s
			""".formatted(NOT_EXTENSION_OWNED.formatted("pg_type", "t.oid"));

	private static final String POLICIES = """
			SELECT n.nspname, c.relname, p.polname,
			       CASE WHEN p.polpermissive THEN 'permissive' ELSE 'restrictive' END || ' for '
			       || CASE p.polcmd WHEN 'r' THEN 'select' WHEN 'a' THEN 'insert' WHEN 'w' THEN 'update'
			                        WHEN 'd' THEN 'delete' ELSE 'all' END
			       || ' to ' || COALESCE((SELECT string_agg(CASE WHEN r = 0 THEN 'public' ELSE quote_ident(pg_get_userbyid(r)) END,
			                                                ', ' ORDER BY 1)
			                              FROM unnest(p.polroles) AS r), 'public')
			       || COALESCE(' using (' || pg_get_expr(p.polqual, p.polrelid) || ')', '')
			       || COALESCE(' with check (' || pg_get_expr(p.polwithcheck, p.polrelid) || ')', '')
			FROM pg_policy p
			JOIN pg_class c ON c.oid = p.polrelid
			JOIN pg_namespace n ON n.oid = c.relnamespace
			WHERE n.nspname = ANY (?)
			""";

	/** The extensions themselves (their objects are left out), those installed into a managed schema. */
	private static final String EXTENSIONS = """
			SELECT n.nspname, e.extname, 'version ' || e.extversion
			FROM pg_extension e JOIN pg_namespace n ON n.oid = e.extnamespace
			WHERE n.nspname = ANY (?)
			""";

	private final ManagedSchemas schemas;

	public CatalogReader(ManagedSchemas schemas) {
		this.schemas = schemas;
	}

	/**
	 * Reads the description. The connection is used in a transaction of its own that is rolled back at the end
	 * (it reads only); its {@code search_path} and {@code lock_timeout} are set for that transaction alone.
	 */
	public SchemaDescription read(Connection connection) throws SQLException {
		return read(connection, null);
	}

	/**
	 * Reads the description, half of the queries on a second connection from {@code helper} at the same time when
	 * one is given (the read is bound by the server's work on a few deparsers; two sessions halve the wait on a
	 * large schema). The two halves are no less consistent than sequential queries: each query sees its own
	 * moment either way, and callers guard against runs in progress around the whole read.
	 */
	public SchemaDescription read(Connection connection, @Nullable ConnectionSource helper) throws SQLException {
		if (!DatabaseSessions.isPostgres(connection)) {
			throw new SQLException("Drift is read from PostgreSQL's catalog; this database is not PostgreSQL");
		}
		ManagedSchemas.Resolved managed = this.schemas.resolve(connection);
		if (helper == null) {
			List<CatalogObject> objects = readInTransaction(connection, managed, this::readFirstHalf);
			objects.addAll(readInTransaction(connection, managed, this::readSecondHalf));
			return SchemaDescription.of(objects);
		}
		CompletableFuture<List<CatalogObject>> second = CompletableFuture.supplyAsync(() -> {
			Connection other = helper.open();
			try {
				return readInTransaction(other, managed, this::readSecondHalf);
			}
			catch (SQLException ex) {
				throw new CompletionException(ex);
			}
			finally {
				helper.release(other);
			}
		}, CatalogReader::startDaemon);
		List<CatalogObject> objects = readInTransaction(connection, managed, this::readFirstHalf);
		try {
			objects.addAll(second.join());
		}
		catch (CompletionException ex) {
			if (ex.getCause() instanceof SQLException sqlException) {
				throw sqlException;
			}
			throw ex;
		}
		return SchemaDescription.of(objects);
	}

	private static void startDaemon(Runnable task) {
		Thread thread = new Thread(task, "lockstep-catalog-read");
		thread.setDaemon(true);
		thread.start();
	}

	private void readFirstHalf(Connection connection, Array names, ManagedSchemas.Resolved managed,
			List<CatalogObject> objects) throws SQLException {
		relations(connection, names, managed, objects);
		indexes(connection, names, managed, objects);
		routines(connection, names, managed, objects);
		triggers(connection, names, managed, objects);
		query(connection, EXTENSIONS, names,
				(row) -> objects.add(new CatalogObject("extension", row.getString(2), null, row.getString(3))));
	}

	private void readSecondHalf(Connection connection, Array names, ManagedSchemas.Resolved managed,
			List<CatalogObject> objects) throws SQLException {
		columns(connection, names, managed, objects);
		constraints(connection, names, managed, objects);
		types(connection, names, managed, objects);
		policies(connection, names, managed, objects);
	}

	/**
	 * Runs queries in a transaction of their own that is rolled back at the end (they only read), with
	 * {@code search_path}, time zone, output styles and {@code lock_timeout} set for that transaction alone.
	 */
	private static List<CatalogObject> readInTransaction(Connection connection, ManagedSchemas.Resolved managed,
			Queries queries) throws SQLException {
		boolean autoCommit = connection.getAutoCommit();
		List<CatalogObject> objects = new ArrayList<>();
		try {
			connection.setAutoCommit(false);
			try (Statement settings = connection.createStatement()) {
				settings.execute("SET LOCAL search_path TO pg_catalog");
				// Constants in deparsed definitions (defaults, checks, views, partition bounds) are printed in the
				// session's time zone and styles: pinned, so that every instance reads what another recorded.
				settings.execute("SET LOCAL TimeZone = 'UTC'");
				settings.execute("SET LOCAL DateStyle = 'ISO, MDY'");
				settings.execute("SET LOCAL IntervalStyle = 'postgres'");
				settings.execute("SET LOCAL extra_float_digits = 3");
				settings.execute("SET LOCAL lock_timeout = '" + LOCK_TIMEOUT + "'");
			}
			Array names = connection.createArrayOf("text", managed.schemas().toArray());
			queries.read(connection, names, managed, objects);
		}
		finally {
			DatabaseSessions.rollbackQuietly(connection);
			connection.setAutoCommit(autoCommit);
		}
		return objects;
	}

	/** Where a read may take a second connection from, and how it gives it back. */
	public interface ConnectionSource {

		Connection open();

		void release(Connection connection);

	}

	@FunctionalInterface
	private interface Queries {

		void read(Connection connection, Array names, ManagedSchemas.Resolved managed, List<CatalogObject> objects)
				throws SQLException;

	}


	private void relations(Connection connection, Array names, ManagedSchemas.Resolved managed,
			List<CatalogObject> objects) throws SQLException {
		query(connection, RELATIONS, names, (row) -> {
			String schema = row.getString(1);
			String name = row.getString(2);
			if (managed.isHistoryTable(schema, name)) {
				return;
			}
			String shown = managed.display(schema, name);
			switch (row.getString(3)) {
				case "v" -> objects.add(new CatalogObject("view", shown, null, normalise(row.getString(9))));
				case "m" -> objects
					.add(new CatalogObject("materialized view", shown, null, normalise(row.getString(9))));
				case "S" -> {
					String owner = row.getString(11);
					if (owner != null && owner.startsWith("i ")) {
						return; // an identity column's sequence: the column says "identity"
					}
					String definition = row.getString(10)
							+ ((owner != null) ? " owned by " + owner.substring(2) : "");
					objects.add(new CatalogObject("sequence", shown, null, definition));
				}
				default -> objects.add(new CatalogObject("table", shown, null, tableDefinition(row)));
			}
		});
	}

	private static String tableDefinition(ResultSet row) throws SQLException {
		StringBuilder definition = new StringBuilder("f".equals(row.getString(3)) ? "foreign table" : "table");
		if ("u".equals(row.getString(4))) {
			definition.append(" unlogged");
		}
		if (row.getString(8) != null) {
			definition.append(" partitioned by ").append(row.getString(8));
		}
		if (row.getString(7) != null) {
			definition.append(" partition of ").append(row.getString(7));
		}
		if (row.getBoolean(5)) {
			definition.append(" row level security");
			if (row.getBoolean(6)) {
				definition.append(" forced");
			}
		}
		return definition.toString();
	}

	private void columns(Connection connection, Array names, ManagedSchemas.Resolved managed,
			List<CatalogObject> objects) throws SQLException {
		query(connection, COLUMNS, names, (row) -> {
			String schema = row.getString(1);
			String table = row.getString(2);
			if (managed.isHistoryTable(schema, table)) {
				return;
			}
			StringBuilder definition = new StringBuilder(row.getString(4));
			if (row.getString(9) != null) {
				definition.append(" collate ").append(row.getString(9));
			}
			definition.append(row.getBoolean(5) ? " not null" : " null");
			String identity = row.getString(7);
			String generated = row.getString(8);
			String expression = row.getString(6);
			if ("a".equals(identity)) {
				definition.append(" generated always as identity");
			}
			else if ("d".equals(identity)) {
				definition.append(" generated by default as identity");
			}
			if (generated != null && !generated.isEmpty() && expression != null) {
				definition.append(" generated always as (").append(expression).append(") stored");
			}
			else if (expression != null) {
				definition.append(" default ").append(expression);
			}
			String shownTable = managed.display(schema, table);
			objects.add(new CatalogObject("column", shownTable + "." + row.getString(3), shownTable,
					definition.toString()));
		});
	}

	private void constraints(Connection connection, Array names, ManagedSchemas.Resolved managed,
			List<CatalogObject> objects) throws SQLException {
		tableScoped(connection, CONSTRAINTS, names, managed, objects, "constraint", (row) -> row.getString(4));
	}

	private void indexes(Connection connection, Array names, ManagedSchemas.Resolved managed,
			List<CatalogObject> objects) throws SQLException {
		query(connection, INDEXES, names, (row) -> {
			String schema = row.getString(1);
			String table = row.getString(2);
			if (managed.isHistoryTable(schema, table)) {
				return;
			}
			String definition = row.getString(4) + (row.getBoolean(5) ? "" : " INVALID");
			objects.add(new CatalogObject("index", managed.display(schema, row.getString(3)),
					managed.display(schema, table), definition));
		});
	}

	private void routines(Connection connection, Array names, ManagedSchemas.Resolved managed,
			List<CatalogObject> objects) throws SQLException {
		query(connection, ROUTINES, names, (row) -> {
			String type = switch (row.getString(4)) {
				case "p" -> "procedure";
				case "a" -> "aggregate";
				default -> "function";
			};
			String name = managed.display(row.getString(1), row.getString(2)) + "(" + row.getString(3) + ")";
			objects.add(new CatalogObject(type, name, null, normalise(row.getString(5))));
		});
	}

	private void triggers(Connection connection, Array names, ManagedSchemas.Resolved managed,
			List<CatalogObject> objects) throws SQLException {
		tableScoped(connection, TRIGGERS, names, managed, objects, "trigger", (row) -> {
			String enabled = switch (row.getString(5)) {
				case "D" -> " (disabled)";
				case "R" -> " (enabled for replica)";
				case "A" -> " (enabled always)";
				default -> "";
			};
			return row.getString(4) + enabled;
		});
	}

	private void types(Connection connection, Array names, ManagedSchemas.Resolved managed,
			List<CatalogObject> objects) throws SQLException {
		query(connection, TYPES, names, (row) -> objects
			.add(new CatalogObject("type", managed.display(row.getString(1), row.getString(2)), null,
					String.valueOf(row.getString(3)))));
	}

	private void policies(Connection connection, Array names, ManagedSchemas.Resolved managed,
			List<CatalogObject> objects) throws SQLException {
		tableScoped(connection, POLICIES, names, managed, objects, "policy", (row) -> row.getString(4));
	}

	/** Rows of schema, table, object name and more: the object is named {@code table.object}. */
	private void tableScoped(Connection connection, String sql, Array names, ManagedSchemas.Resolved managed,
			List<CatalogObject> objects, String type, Definition definition) throws SQLException {
		query(connection, sql, names, (row) -> {
			String schema = row.getString(1);
			String table = row.getString(2);
			if (managed.isHistoryTable(schema, table)) {
				return;
			}
			String shownTable = managed.display(schema, table);
			objects.add(new CatalogObject(type, shownTable + "." + row.getString(3), shownTable,
					definition.of(row)));
		});
	}

	private static void query(Connection connection, String sql, Array names, RowHandler handler)
			throws SQLException {
		try (PreparedStatement statement = connection.prepareStatement(sql)) {
			statement.setArray(1, names);
			try (ResultSet rows = statement.executeQuery()) {
				while (rows.next()) {
					handler.handle(rows);
				}
			}
		}
	}

	/**
	 * A deparsed body without trailing whitespace and with line ends as {@code \n}, so that the same definition
	 * read on two servers compares equal.
	 */
	static String normalise(@Nullable String text) {
		if (text == null) {
			return "";
		}
		return text.replace("\r\n", "\n").strip();
	}

	@FunctionalInterface
	private interface RowHandler {

		void handle(ResultSet row) throws SQLException;

	}

	@FunctionalInterface
	private interface Definition {

		String of(ResultSet row) throws SQLException;

	}

}
