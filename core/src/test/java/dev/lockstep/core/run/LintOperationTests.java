package dev.lockstep.core.run;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;

import liquibase.resource.DirectoryResourceAccessor;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import dev.lockstep.core.MigrationCommands;
import dev.lockstep.core.MigrationEngine;
import dev.lockstep.core.api.LintFailOn;
import dev.lockstep.core.api.LintFinding;
import dev.lockstep.core.api.LintSeverity;
import dev.lockstep.core.api.MigrationMode;
import dev.lockstep.core.api.MigrationSettings;
import dev.lockstep.core.api.PendingSql;
import dev.lockstep.core.problem.LintRefusedException;
import dev.lockstep.core.test.TestDatabase;
import dev.lockstep.core.test.TestDatabases;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;
import static org.junit.jupiter.params.provider.Arguments.arguments;

/**
 * The lint of pending changesets written as Liquibase change objects (YAML), end to end: the SQL Liquibase
 * generates for them is caught exactly like hand-written SQL, graded by a real table with rows; comments carry
 * suppressions; tables created earlier in the same pending set are exempt; an apply obeys fail-on before it
 * changes anything.
 */
class LintOperationTests {

	private static TestDatabase db;

	@TempDir
	static Path dir;

	@BeforeAll
	static void tables() {
		db = TestDatabases.create();
		db.execute("CREATE TABLE big (id bigint PRIMARY KEY, name varchar(50), note text, owner_id bigint)");
		db.execute("INSERT INTO big SELECT g, 'n' || g, 'x', g FROM generate_series(1, 120000) g");
		db.execute("CREATE TABLE small (id int PRIMARY KEY, name varchar(50))");
		db.execute("INSERT INTO small SELECT g, 'n' || g FROM generate_series(1, 10) g");
		db.execute("CREATE INDEX big_name_idx ON big (name)");
		db.execute("ANALYZE big");
		db.execute("ANALYZE small");
	}

	private static int files;

	/** A changelog of the given changesets (YAML list items, indented for databaseChangeLog). */
	private static MigrationEngine engine(String changeSets) throws IOException {
		String name = "changelog-" + (++files) + ".yaml";
		Files.writeString(dir.resolve(name), "databaseChangeLog:\n" + changeSets);
		return new MigrationEngine(db.dataSource(), new DirectoryResourceAccessor(dir), MigrationSettings.of(name));
	}

	private static String changeSet(String id, String change) {
		return changeSet(id, change, null, true);
	}

	private static String changeSet(String id, String change, String comment, boolean runInTransaction) {
		return "  - changeSet:\n      id: " + id + "\n      author: test\n"
				+ ((comment != null) ? "      comment: \"" + comment + "\"\n" : "")
				+ (runInTransaction ? "" : "      runInTransaction: false\n") + "      changes:\n"
				+ change.indent(8);
	}

	private static List<LintFinding> findings(String changeSets) throws IOException {
		return engine(changeSets).lint().stream().flatMap((pending) -> pending.findings().stream()).toList();
	}

	static Stream<Arguments> changes() {
		return Stream.of(
				arguments("index-not-concurrent", """
						- createIndex:
						    tableName: big
						    indexName: big_owner_idx
						    columns:
						      - column:
						          name: owner_id
						""", """
						- sql:
						    sql: CREATE INDEX CONCURRENTLY big_owner_idx ON big (owner_id)
						""", false),
				arguments("index-not-concurrent", """
						- dropIndex:
						    tableName: big
						    indexName: big_name_idx
						""", """
						- sql:
						    sql: DROP INDEX CONCURRENTLY big_name_idx
						""", false),
				arguments("constraint-not-valid", """
						- addForeignKeyConstraint:
						    baseTableName: big
						    baseColumnNames: owner_id
						    constraintName: big_owner_fk
						    referencedTableName: big
						    referencedColumnNames: id
						""", """
						- addForeignKeyConstraint:
						    baseTableName: big
						    baseColumnNames: owner_id
						    constraintName: big_owner_fk
						    referencedTableName: big
						    referencedColumnNames: id
						    validate: false
						""", true),
				arguments("set-not-null", """
						- addNotNullConstraint:
						    tableName: big
						    columnName: name
						""", """
						- sql:
						    sql: ALTER TABLE big ADD CONSTRAINT big_name_not_null CHECK (name IS NOT NULL) NOT VALID
						""", true),
				arguments("table-rewrite", """
						- modifyDataType:
						    tableName: big
						    columnName: name
						    newDataType: varchar(20)
						""", """
						- modifyDataType:
						    tableName: big
						    columnName: name
						    newDataType: varchar(200)
						""", true),
				arguments("table-rewrite", """
						- modifyDataType:
						    tableName: big
						    columnName: owner_id
						    newDataType: varchar(20)
						""", """
						- modifyDataType:
						    tableName: big
						    columnName: note
						    newDataType: text
						""", true),
				arguments("table-rewrite", """
						- addColumn:
						    tableName: big
						    columns:
						      - column:
						          name: token
						          type: uuid
						          defaultValueComputed: gen_random_uuid()
						""", """
						- addColumn:
						    tableName: big
						    columns:
						      - column:
						          name: status
						          type: varchar(20)
						          defaultValue: new
						          constraints:
						            nullable: false
						""", true),
				arguments("table-rewrite", """
						- addColumn:
						    tableName: big
						    columns:
						      - column:
						          name: seq
						          type: bigint
						          autoIncrement: true
						""", """
						- addColumn:
						    tableName: big
						    columns:
						      - column:
						          name: seq
						          type: bigint
						""", true),
				arguments("unique-without-index", """
						- addPrimaryKey:
						    tableName: small
						    columnNames: id, name
						    constraintName: small_pk2
						""".replace("small", "big"), """
						- sql:
						    sql: CREATE UNIQUE INDEX CONCURRENTLY big_id_name_idx ON big (id, name)
						""", false),
				arguments("unique-without-index", """
						- addUniqueConstraint:
						    tableName: big
						    columnNames: name
						    constraintName: big_name_key
						""", """
						- sql:
						    sql: ALTER TABLE big ADD CONSTRAINT big_name_key UNIQUE USING INDEX big_name_idx
						""", true),
				arguments("breaking-rename-drop", """
						- renameColumn:
						    tableName: big
						    oldColumnName: note
						    newColumnName: remark
						""", """
						- addColumn:
						    tableName: big
						    columns:
						      - column:
						          name: remark
						          type: text
						""", true),
				arguments("breaking-rename-drop", """
						- dropColumn:
						    tableName: big
						    columnName: note
						""", """
						- addColumn:
						    tableName: big
						    columns:
						      - column:
						          name: remark
						          type: text
						""", true),
				arguments("breaking-rename-drop", """
						- renameTable:
						    oldTableName: big
						    newTableName: huge
						""", """
						- createView:
						    viewName: huge
						    selectQuery: SELECT * FROM big
						""", true),
				arguments("breaking-rename-drop", """
						- dropTable:
						    tableName: big
						""", """
						- createTable:
						    tableName: other
						    columns:
						      - column:
						          name: id
						          type: int
						""", true));
	}

	@ParameterizedTest(name = "{0}: {1}")
	@MethodSource("changes")
	void liquibaseChangeObjectsAreCaughtLikeTheirSqlAndTheSafeVariantIsNot(String rule, String unsafe, String safe,
			boolean safeInTransaction) throws IOException {
		List<LintFinding> found = findings(changeSet("unsafe", unsafe));
		assertThat(found).extracting(LintFinding::rule).containsExactly(rule);
		assertThat(found.get(0).severity()).isEqualTo(LintSeverity.ERROR);
		assertThat(found.get(0).message()).contains("big (~120000 rows)");
		assertThat(findings(changeSet("safe", safe, null, safeInTransaction))).isEmpty();
	}

	@Test
	void aBackfillWithDdlOfAddNotNullConstraintWithADefaultNullValue() throws IOException {
		List<LintFinding> found = findings(changeSet("fill", """
				- addNotNullConstraint:
				    tableName: small
				    columnName: name
				    defaultNullValue: unknown
				"""));
		assertThat(found).extracting(LintFinding::rule).containsExactlyInAnyOrder("set-not-null", "backfill-with-ddl");
		assertThat(found).extracting(LintFinding::severity).containsOnly(LintSeverity.WARNING);
	}

	@Test
	void aTableCreatedEarlierInThePendingSetIsExemptAcrossChangesets() throws IOException {
		List<PendingSql> pending = engine(changeSet("create", """
				- createTable:
				    tableName: fresh
				    columns:
				      - column:
				          name: id
				          type: int
				""") + changeSet("index", """
				- createIndex:
				    tableName: fresh
				    indexName: fresh_id_idx
				    columns:
				      - column:
				          name: id
				""") + changeSet("index-big", """
				- createIndex:
				    tableName: big
				    indexName: big_note_idx
				    columns:
				      - column:
				          name: note
				""")).lint();
		assertThat(pending).extracting((changeSet) -> changeSet.changeSet().id())
			.containsExactly("create", "index", "index-big");
		assertThat(pending.get(0).findings()).isEmpty();
		assertThat(pending.get(1).findings()).isEmpty();
		assertThat(pending.get(2).findings()).extracting(LintFinding::rule).containsExactly("index-not-concurrent");
	}

	@Test
	void theChangesetCommentCarriesSuppressionsWithAReason() throws IOException {
		String drop = """
				- dropColumn:
				    tableName: big
				    columnName: note
				""";
		assertThat(findings(changeSet("allowed", drop,
				"lockstep:allow breaking-rename-drop -- no running version reads note since v1.4", true))).isEmpty();
		assertThat(findings(changeSet("no-reason", drop, "lockstep:allow breaking-rename-drop", true)))
			.extracting(LintFinding::rule)
			.containsExactly("suppression-without-reason", "breaking-rename-drop");
	}

	@Test
	void concurrentlyInAChangesetThatRunsInATransactionIsAnError() throws IOException {
		List<LintFinding> found = findings(changeSet("tx", """
				- sql:
				    sql: CREATE INDEX CONCURRENTLY big_owner_idx ON big (owner_id)
				"""));
		assertThat(found).extracting(LintFinding::rule, LintFinding::severity)
			.containsExactly(org.assertj.core.groups.Tuple.tuple("concurrent-in-transaction", LintSeverity.ERROR));
	}

	@Test
	void theSqlScriptShowsTheFindingsAboveEachChangeset() throws IOException {
		String script = new MigrationCommands(engine(changeSet("index-big", """
				- createIndex:
				    tableName: big
				    indexName: big_note_idx
				    columns:
				      - column:
				          name: note
				"""))).updateSql();
		assertThat(script).contains("-- Lint: 1 finding(s), 1 error(s)")
			.contains("-- LINT error index-not-concurrent: CREATE INDEX without CONCURRENTLY on big (~120000 rows)")
			.contains("--   fix: Use CREATE INDEX CONCURRENTLY");
		assertThat(script.indexOf("-- LINT error")).isLessThan(script.indexOf("CREATE INDEX big_note_idx"));
	}

	@Test
	void anApplyRefusesBeforeChangingAnythingWhenTheFindingsReachFailOn() throws IOException {
		String changeSets = changeSet("add-column", """
				- addColumn:
				    tableName: small
				    columns:
				      - column:
				          name: flag
				          type: boolean
				""") + changeSet("index-small", """
				- createIndex:
				    tableName: small
				    indexName: small_name_idx
				    columns:
				      - column:
				          name: name
				""");
		// One warning (a small table): error lets it through, warning refuses.
		MigrationEngine refusing = engine(changeSets);
		refusing.configureLint(100_000, LintFailOn.WARNING);
		assertThatExceptionOfType(LintRefusedException.class).isThrownBy(() -> refusing.run(MigrationMode.APPLY))
			.satisfies((ex) -> {
				assertThat(ex.findings()).singleElement()
					.asString()
					.startsWith("warning index-not-concurrent in ")
					.contains("index-small::test");
				assertThat(ex.getMessage()).contains("lintFailOn=warning").contains("nothing was applied");
				assertThat(ex.action()).contains("lockstep:allow <rule-id> -- <reason>");
			});
		assertThat(db.count("SELECT count(*) FROM information_schema.columns WHERE table_name = 'small' "
				+ "AND column_name = 'flag'")).isZero();
		assertThat(refusing.status().pending()).hasSize(2);

		MigrationEngine lenient = engine(changeSets.replace("small_name_idx", "small_name_idx2"));
		lenient.configureLint(100_000, LintFailOn.ERROR);
		assertThat(lenient.run(MigrationMode.APPLY).applied()).isEqualTo(2);
		db.execute("DROP INDEX small_name_idx2");
		db.execute("ALTER TABLE small DROP COLUMN flag");
		db.execute("DELETE FROM databasechangelog");
	}

	@Test
	void lintingRunsNoShellCommandOnlyTheApplyDoes() throws IOException {
		Path ran = dir.resolve("ran.txt");
		MigrationEngine engine = engine(changeSet("shell", """
				- executeCommand:
				    executable: sh
				    args:
				      - arg: {value: -c}
				      - arg: {value: "echo ran >> %s"}
				""".formatted(ran)));
		engine.lint();
		new MigrationCommands(engine).updateSql();
		assertThat(ran).doesNotExist();
		engine.run(MigrationMode.APPLY);
		assertThat(Files.readAllLines(ran)).as("run once, by the apply, not by its lint").containsExactly("ran");
		db.execute("DELETE FROM databasechangelog");
	}

	@Test
	void largeTableRowsDecidesWhatIsAnError() throws IOException {
		String index = changeSet("index-small", """
				- createIndex:
				    tableName: small
				    indexName: small_name_idx
				    columns:
				      - column:
				          name: name
				""");
		MigrationEngine engine = engine(index);
		assertThat(engine.lint().get(0).findings()).extracting(LintFinding::severity)
			.containsExactly(LintSeverity.WARNING);
		engine.configureLint(5, LintFailOn.NEVER);
		assertThat(engine.lint().get(0).findings()).extracting(LintFinding::severity)
			.containsExactly(LintSeverity.ERROR);
	}

}
