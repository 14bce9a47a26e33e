package dev.lockstep.core.lint;

import java.sql.Connection;
import java.sql.SQLException;
import java.util.List;
import java.util.stream.Stream;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import dev.lockstep.core.api.LintFinding;
import dev.lockstep.core.api.LintSeverity;
import dev.lockstep.core.test.TestDatabase;
import dev.lockstep.core.test.TestDatabases;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.params.provider.Arguments.arguments;

/**
 * Each rule against a real PostgreSQL: a statement that triggers it and its safe variant, on a large table (an
 * error), a small one (a warning), an empty one and one created in the same run (exempt).
 */
class LinterTests {

	private static TestDatabase db;

	private static Connection connection;

	@BeforeAll
	static void tables() throws SQLException {
		db = TestDatabases.create();
		db.execute("CREATE TABLE big (id bigint PRIMARY KEY, name varchar(50), price numeric(10,2), owner_id bigint,"
				+ " note text)");
		db.execute("INSERT INTO big SELECT g, 'n' || g, g, g, NULL FROM generate_series(1, 120000) g");
		db.execute("CREATE TABLE small (id int PRIMARY KEY, name text, code varchar(10))");
		db.execute("INSERT INTO small SELECT g, 'n' || g, 'c' FROM generate_series(1, 10) g");
		db.execute("CREATE TABLE empty (id int PRIMARY KEY, name text)");
		db.execute("CREATE INDEX big_name_idx ON big (name)");
		db.execute("ALTER TABLE big ADD CONSTRAINT big_note_not_null CHECK (note IS NOT NULL) NOT VALID");
		db.execute("ANALYZE big");
		db.execute("ANALYZE small");
		connection = db.connect();
	}

	@AfterAll
	static void close() throws SQLException {
		connection.close();
	}

	private static List<LintFinding> lint(boolean inTransaction, String comments, String... sql) {
		return new Linter(Linter.DEFAULT_LARGE_TABLE_ROWS)
			.lint(List.of(new Linter.Input("1::test", List.of(sql), inTransaction, comments)),
					new LiveTables(connection))
			.get("1::test");
	}

	static Stream<Arguments> rules() {
		return Stream.of(
				arguments("index-not-concurrent", "CREATE INDEX big_owner_idx ON big (owner_id)", true,
						"CREATE INDEX CONCURRENTLY big_owner_idx ON big (owner_id)", false),
				arguments("index-not-concurrent", "DROP INDEX big_name_idx", true,
						"DROP INDEX CONCURRENTLY big_name_idx", false),
				arguments("concurrent-in-transaction", "CREATE INDEX CONCURRENTLY big_owner_idx ON big (owner_id)",
						true, "CREATE INDEX CONCURRENTLY big_owner_idx ON big (owner_id)", false),
				arguments("constraint-not-valid",
						"ALTER TABLE big ADD CONSTRAINT big_owner_fk FOREIGN KEY (owner_id) REFERENCES big (id)", true,
						"ALTER TABLE big ADD CONSTRAINT big_owner_fk FOREIGN KEY (owner_id) REFERENCES big (id) NOT VALID",
						true),
				arguments("constraint-not-valid", "ALTER TABLE big ADD CONSTRAINT big_price CHECK (price > 0)", true,
						"ALTER TABLE big ADD CONSTRAINT big_price CHECK (price > 0) NOT VALID", true),
				arguments("set-not-null", "ALTER TABLE big ALTER COLUMN name SET NOT NULL", true,
						"ALTER TABLE big VALIDATE CONSTRAINT big_note_not_null", true),
				arguments("table-rewrite", "ALTER TABLE big ALTER COLUMN name TYPE varchar(20)", true,
						"ALTER TABLE big ALTER COLUMN name TYPE varchar(200)", true),
				arguments("table-rewrite", "ALTER TABLE big ALTER COLUMN price TYPE numeric(12,4)", true,
						"ALTER TABLE big ALTER COLUMN price TYPE numeric(14,2)", true),
				arguments("table-rewrite", "ALTER TABLE big ADD COLUMN token uuid DEFAULT gen_random_uuid()", true,
						"ALTER TABLE big ADD COLUMN status text NOT NULL DEFAULT 'new'", true),
				arguments("unique-without-index", "ALTER TABLE big ADD CONSTRAINT big_name_key UNIQUE (name)", true,
						"ALTER TABLE big ADD CONSTRAINT big_name_key UNIQUE USING INDEX big_name_idx", true),
				arguments("breaking-rename-drop", "ALTER TABLE big RENAME COLUMN note TO remark", true,
						"ALTER TABLE big ADD COLUMN remark text", true),
				arguments("breaking-rename-drop", "ALTER TABLE big DROP COLUMN note", true,
						"ALTER TABLE big DROP CONSTRAINT big_note_not_null", true),
				arguments("breaking-rename-drop", "DROP TABLE big", true, "DROP TABLE IF EXISTS created_here", true),
				arguments("blocking-maintenance", "VACUUM FULL big", false, "VACUUM big", false),
				arguments("blocking-maintenance", "REINDEX TABLE big", false, "REINDEX TABLE CONCURRENTLY big", false),
				arguments("blocking-maintenance", "LOCK TABLE big IN ACCESS EXCLUSIVE MODE", true,
						"SELECT 1 FROM big LIMIT 1", true));
	}

	@ParameterizedTest(name = "{0}: {1}")
	@MethodSource("rules")
	void eachRuleCatchesItsStatementOnALargeTableAndNotTheSafeVariant(String rule, String unsafe,
			boolean unsafeInTransaction, String safe, boolean safeInTransaction) {
		List<LintFinding> findings = lint(unsafeInTransaction, null, unsafe);
		assertThat(findings).extracting(LintFinding::rule).containsExactly(rule);
		assertThat(findings.get(0).severity()).isEqualTo(LintSeverity.ERROR);
		assertThat(findings.get(0).fix()).isNotBlank();
		assertThat(lint(safeInTransaction, null, "CREATE TABLE created_here (id int)", safe)).isEmpty();
	}

	@Test
	void severityComesFromTheLiveTable() {
		String sql = "ALTER TABLE %s ADD CONSTRAINT c CHECK (id > 0)";
		assertThat(lint(true, null, sql.formatted("big"))).extracting(LintFinding::severity)
			.containsExactly(LintSeverity.ERROR);
		assertThat(lint(true, null, sql.formatted("small"))).extracting(LintFinding::severity)
			.containsExactly(LintSeverity.WARNING);
		assertThat(lint(true, null, sql.formatted("empty"))).isEmpty();
		assertThat(lint(true, null, "CREATE TABLE empty2 (id int)", sql.formatted("empty2"))).isEmpty();
		assertThat(lint(true, null, sql.formatted("big")).get(0).message()).contains("big (~120000 rows)");
	}

	@Test
	void aBackfillInTheSameTransactionAsDdlOnItsTable() {
		assertThat(lint(true, null, "ALTER TABLE small ADD COLUMN flag boolean",
				"UPDATE small SET flag = true")).extracting(LintFinding::rule).containsExactly("backfill-with-ddl");
		assertThat(lint(false, null, "ALTER TABLE small ADD COLUMN flag boolean", "UPDATE small SET flag = true"))
			.isEmpty();
		assertThat(lint(true, null, "UPDATE small SET name = 'x'")).isEmpty();
	}

	@Test
	void aSuppressionWithAReasonAllowsTheRuleAndOneWithoutIsAFinding() {
		String drop = "ALTER TABLE big DROP COLUMN note";
		assertThat(lint(true, "lockstep:allow breaking-rename-drop -- v1.4 no longer reads note", drop)).isEmpty();
		assertThat(lint(true, "lockstep:allow breaking-rename-drop", drop)).extracting(LintFinding::rule)
			.containsExactly("suppression-without-reason", "breaking-rename-drop");
		assertThat(lint(true, "lockstep:allow index-not-concurrent -- small lookup table", drop))
			.extracting(LintFinding::rule)
			.containsExactly("breaking-rename-drop");
	}

	@Test
	void rawScriptsAreReadStatementByStatementIgnoringCommentsQuotesAndBodies() {
		String script = """
				-- CREATE INDEX in a comment
				INSERT INTO small VALUES (99, 'CREATE INDEX x ON big (id)', 'c');
				CREATE FUNCTION f() RETURNS void LANGUAGE sql AS $$ UPDATE big SET note = 'x'; $$;
				/* VACUUM FULL big; */
				CREATE INDEX big_note_idx ON public.big (note);
				""";
		assertThat(lint(true, null, script)).extracting(LintFinding::rule).containsExactly("index-not-concurrent");
	}


	@Test
	void anIndexDroppedLaterInTheRunIsGradedByTheTableItWasCreatedOn() {
		Linter linter = new Linter(Linter.DEFAULT_LARGE_TABLE_ROWS);
		assertThat(linter.lint(List.of(
				new Linter.Input("1::a", List.of("CREATE TABLE fresh (id int)", "CREATE INDEX fresh_idx ON fresh (id)"),
						true, null),
				new Linter.Input("2::a", List.of("DROP INDEX public.fresh_idx"), true, null)),
				new LiveTables(connection)).get("2::a")).isEmpty();
		assertThat(linter.lint(List.of(
				new Linter.Input("1::a", List.of("CREATE INDEX CONCURRENTLY big_id_idx2 ON big (id)"), false, null),
				new Linter.Input("2::a", List.of("DROP INDEX big_id_idx2"), true, null)),
				new LiveTables(connection)).get("2::a"))
			.extracting(LintFinding::rule, LintFinding::severity)
			.containsExactly(org.assertj.core.groups.Tuple.tuple("index-not-concurrent", LintSeverity.ERROR));
	}

	@Test
	void manyChangeSetsAskTheDatabaseAboutTheirTablesOnceNotPerChangeSet() {
		int[] statements = { 0 };
		Connection counting = (Connection) java.lang.reflect.Proxy.newProxyInstance(getClass().getClassLoader(),
				new Class<?>[] { Connection.class }, (proxy, method, args) -> {
					if (method.getName().startsWith("prepare")) {
						statements[0]++;
					}
					try {
						return method.invoke(connection, args);
					}
					catch (java.lang.reflect.InvocationTargetException ex) {
						throw ex.getCause();
					}
				});
		List<Linter.Input> changeSets = new java.util.ArrayList<>();
		for (int i = 0; i < 300; i++) {
			String table = List.of("big", "small", "empty").get(i % 3);
			changeSets.add(new Linter.Input(i + "::a", List.of(switch (i % 3) {
				case 0 -> "ALTER TABLE " + table + " ALTER COLUMN name TYPE varchar(80)";
				case 1 -> "ALTER TABLE " + table + " ALTER COLUMN code SET NOT NULL";
				default -> "CREATE INDEX ON " + table + " (name)";
			}), true, null));
		}
		java.util.Map<String, List<LintFinding>> findings = new Linter(Linter.DEFAULT_LARGE_TABLE_ROWS)
			.lint(changeSets, new LiveTables(counting));
		assertThat(statements[0]).as("queries for 300 changesets on 3 tables").isLessThanOrEqualTo(5);
		// The same answers as one question at a time: varchar(50) -> varchar(80) keeps the table, SET NOT NULL on
		// the small table is a warning, the empty table is exempt.
		assertThat(findings.get("0::a")).isEmpty();
		assertThat(findings.get("1::a")).extracting(LintFinding::rule, LintFinding::severity)
			.containsExactly(org.assertj.core.groups.Tuple.tuple("set-not-null", LintSeverity.WARNING));
		assertThat(findings.get("2::a")).isEmpty();
	}

	@Test
	void preloadingAnswersLikeAskingOneByOneAndFallsBackOnANameTheDatabaseCannotParse() {
		LiveTables one = new LiveTables(connection);
		LiveTables batch = new LiveTables(connection);
		batch.preload(List.of("big", "public.small", "empty", "missing"));
		LiveTables broken = new LiveTables(connection);
		broken.preload(List.of("big", "a.b.c.d"));
		for (LiveTables live : List.of(batch, broken)) {
			for (String table : List.of("big", "public.small", "empty", "missing")) {
				assertThat(live.rows(table)).as(table).isEqualTo(one.rows(table));
			}
			assertThat(live.columnType("big", "name")).isEqualTo("character varying(50)")
				.isEqualTo(one.columnType("big", "name"));
			assertThat(live.columnType("big", "nope")).isNull();
			assertThat(live.hasValidatedNotNullCheck("big", "note")).isFalse();
		}
	}

}
