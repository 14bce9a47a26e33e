package dev.lockstep.sample;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

import dev.lockstep.test.TestDatabase;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * What a test database holds, read over plain JDBC: the application's schema (tables, sequences, columns, types,
 * defaults, indexes, constraints), Liquibase's history, and every DDL statement run since {@link #recordDdl()}.
 */
final class Catalog {

	/** Tables that are the migrations' bookkeeping, not the application's schema. */
	static final List<String> HISTORY_TABLES = List.of("databasechangelog", "databasechangeloglock",
			"lockstep_last_run", "lockstep_verified", "lockstep_in_flight", "lockstep_schema_record");

	private static final String EXCLUDED = "('databasechangelog', 'databasechangeloglock', 'lockstep_last_run', "
			+ "'lockstep_verified', 'lockstep_in_flight', 'lockstep_schema_record')";

	private final TestDatabase database;

	Catalog(TestDatabase database) {
		this.database = database;
	}

	TestDatabase database() {
		return this.database;
	}

	/**
	 * A sorted dump of the {@code public} schema's objects, history tables left out: equal dumps mean the same
	 * schema. Column positions are logical (a dropped and re-added column keeps its place in the comparison).
	 */
	List<String> schema() {
		List<String> dump = new ArrayList<>();
		add(dump, "SELECT 'table ' || c.relname || ' kind=' || c.relkind::text FROM pg_class c "
				+ "JOIN pg_namespace n ON n.oid = c.relnamespace WHERE n.nspname = 'public' "
				+ "AND c.relkind IN ('r', 'p', 'v', 'm', 'f', 'S') AND c.relname NOT IN " + EXCLUDED);
		add(dump, "SELECT format('column %s.%s #%s %s nullable=%s default=%s identity=%s', table_name, column_name, "
				+ "row_number() OVER (PARTITION BY table_name ORDER BY ordinal_position), "
				+ "CASE WHEN character_maximum_length IS NULL THEN data_type "
				+ "ELSE data_type || '(' || character_maximum_length || ')' END, "
				+ "is_nullable, coalesce(column_default, 'none'), is_identity) FROM information_schema.columns "
				+ "WHERE table_schema = 'public' AND table_name NOT IN " + EXCLUDED);
		add(dump, "SELECT 'index ' || indexname || ': ' || indexdef FROM pg_indexes WHERE schemaname = 'public' "
				+ "AND tablename NOT IN " + EXCLUDED);
		add(dump, "SELECT format('constraint %s.%s %s', cl.relname, co.conname, pg_get_constraintdef(co.oid)) "
				+ "FROM pg_constraint co JOIN pg_class cl ON cl.oid = co.conrelid "
				+ "WHERE co.connamespace = 'public'::regnamespace AND cl.relname NOT IN " + EXCLUDED);
		dump.sort(null);
		return dump;
	}

	private void add(List<String> dump, String sql) {
		this.database.rows(sql).forEach((row) -> dump.add(row.get(0)));
	}

	/** Whether any of Liquibase's or Lockstep's history tables exist, in any schema. */
	boolean hasHistoryTables() {
		return this.database.count("SELECT count(*) FROM information_schema.tables WHERE lower(table_name) IN "
				+ EXCLUDED) > 0;
	}

	void assertNoHistoryTables() {
		assertThat(this.database.rows("SELECT table_schema || '.' || table_name FROM information_schema.tables "
				+ "WHERE lower(table_name) IN " + EXCLUDED)).as("history tables").isEmpty();
	}

	/** DATABASECHANGELOG, oldest first. */
	List<Row> history() {
		if (!this.database.tableExists("databasechangelog")) {
			return List.of();
		}
		List<Row> rows = new ArrayList<>();
		try (var connection = this.database.connect();
				var statement = connection.createStatement();
				var result = statement.executeQuery("SELECT id, author, filename, orderexecuted, exectype, tag, "
						+ "md5sum, dateexecuted, description FROM databasechangelog "
						+ "ORDER BY dateexecuted, orderexecuted")) {
			while (result.next()) {
				// Lockstep's sessions write DATEEXECUTED in UTC: read it as UTC, whatever this JVM's zone.
				java.time.LocalDateTime executed = result.getObject(8, java.time.LocalDateTime.class);
				rows.add(new Row(result.getString(1), result.getString(2), result.getString(3), result.getInt(4),
						result.getString(5), result.getString(6), result.getString(7),
						executed.toInstant(java.time.ZoneOffset.UTC),
						result.getString(9)));
			}
		}
		catch (java.sql.SQLException ex) {
			throw new IllegalStateException(ex);
		}
		return rows;
	}

	List<String> historyIds() {
		return history().stream().map(Row::id).toList();
	}

	Row historyRow(String id) {
		return history().stream()
			.filter((row) -> row.id().equals(id))
			.findFirst()
			.orElseThrow(() -> new AssertionError(id + " is not in the history: " + historyIds()));
	}

	/** The schema and the history: equal states mean nothing was changed. */
	State state() {
		return new State(schema(), history());
	}

	/**
	 * From now on, records every DDL statement that commits (an event trigger in a schema of its own, which the
	 * schema dump leaves out).
	 */
	void recordDdl() {
		this.database.execute("CREATE SCHEMA IF NOT EXISTS lockstep_audit");
		this.database.execute("CREATE TABLE IF NOT EXISTS lockstep_audit.ddl (n SERIAL PRIMARY KEY, tag TEXT, "
				+ "query TEXT)");
		this.database.execute("CREATE OR REPLACE FUNCTION lockstep_audit.log_ddl() RETURNS event_trigger "
				+ "LANGUAGE plpgsql AS $$ BEGIN INSERT INTO lockstep_audit.ddl (tag, query) "
				+ "VALUES (tg_tag, current_query()); END $$");
		this.database.execute("DROP EVENT TRIGGER IF EXISTS lockstep_audit_ddl");
		this.database.execute("CREATE EVENT TRIGGER lockstep_audit_ddl ON ddl_command_end "
				+ "EXECUTE FUNCTION lockstep_audit.log_ddl()");
		this.database.execute("TRUNCATE lockstep_audit.ddl");
	}

	/** The DDL statements recorded and forgets them. */
	List<String> takeDdl() {
		List<String> statements = this.database.rows("SELECT query FROM lockstep_audit.ddl ORDER BY n")
			.stream()
			.map((row) -> row.get(0))
			.toList();
		this.database.execute("TRUNCATE lockstep_audit.ddl");
		return statements;
	}

	/** The recorded DDL statements on the application's objects (not the history tables), normalised. */
	List<String> takeApplicationDdl() {
		return applicationDdl(takeDdl());
	}

	/**
	 * The DDL statements of a script or a statement list that touch the application's objects, normalised (one
	 * space between words, no trailing semicolon, comments and history-table statements left out).
	 */
	static List<String> applicationDdl(List<String> statements) {
		List<String> ddl = new ArrayList<>();
		for (String statement : statements) {
			String normalized = normalize(statement);
			String upper = normalized.toUpperCase(Locale.ROOT);
			boolean isDdl = upper.startsWith("CREATE ") || upper.startsWith("ALTER ") || upper.startsWith("DROP ")
					|| upper.startsWith("COMMENT ");
			boolean history = HISTORY_TABLES.stream().anyMatch((table) -> upper.contains(table.toUpperCase(Locale.ROOT)));
			if (isDdl && !history) {
				ddl.add(normalized);
			}
		}
		return ddl;
	}

	/** The statements of a SQL script as Liquibase prints them: separated by ';' at a line's end. */
	static List<String> statementsOf(String script) {
		List<String> statements = new ArrayList<>();
		StringBuilder current = new StringBuilder();
		for (String line : script.lines().toList()) {
			if (line.strip().startsWith("--")) {
				continue;
			}
			current.append(line).append('\n');
			if (line.strip().endsWith(";")) {
				statements.add(current.toString());
				current.setLength(0);
			}
		}
		if (!current.toString().isBlank()) {
			statements.add(current.toString());
		}
		return statements;
	}

	private static String normalize(String statement) {
		String text = statement.strip().replaceAll("\\s+", " ");
		while (text.endsWith(";")) {
			text = text.substring(0, text.length() - 1).strip();
		}
		return text;
	}

	/**
	 * One DATABASECHANGELOG row.
	 */
	record Row(String id, String author, String fileName, int orderExecuted, String execType, String tag,
			String checksum, Instant executedAt, String description) {
	}

	/**
	 * The schema and the history at one moment.
	 */
	record State(List<String> schema, List<Row> history) {
	}

}
