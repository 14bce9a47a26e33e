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

}
