package dev.lockstep.core;

import java.nio.file.Path;
import java.util.List;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.LoggerFactory;

import dev.lockstep.core.api.RollbackTarget;
import dev.lockstep.core.problem.MigrationException;
import dev.lockstep.test.ChangeLogFile;
import dev.lockstep.test.TestDatabase;
import dev.lockstep.test.TestDatabases;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

/**
 * A changeset and its DATABASECHANGELOG row commit together. A trigger on the history table makes writing (or
 * deleting) one changeset's row fail, which is the moment between Liquibase's two commits: with Liquibase's own
 * behaviour the changeset's statements are committed by then, with Lockstep's they are not.
 */
class AtomicChangeSetTests {

	private static final String HISTORY = "SELECT id, author, filename, md5sum, exectype FROM databasechangelog "
			+ "ORDER BY orderexecuted";

	@TempDir
	Path dir;

	private TestDatabase db;

	private ChangeLogFile changeLog;

	private ListAppender<ILoggingEvent> log;

	@BeforeEach
	void setUp() {
		this.db = TestDatabases.create();
		this.changeLog = ChangeLogFile.in(this.dir);
		this.log = new ListAppender<>();
		this.log.start();
		((Logger) LoggerFactory.getLogger("dev.lockstep.Migrations")).addAppender(this.log);
	}

	@AfterEach
	void tearDown() {
		((Logger) LoggerFactory.getLogger("dev.lockstep.Migrations")).detachAppender(this.log);
	}

	@Test
	void changeSetWhoseHistoryRowFailsLeavesNothing() {
		this.changeLog.write(table("1-a", "t_a"));
		this.changeLog.applyTo(this.db);
		failHistory("INSERT", "NEW", "2-b");
		this.changeLog.write(table("1-a", "t_a"), table("2-b", "t_b"), table("3-c", "t_c"));

		assertThatExceptionOfType(MigrationException.class).isThrownBy(() -> this.changeLog.applyTo(this.db));

		assertThat(this.db.tableExists("t_b")).as("table of the changeset whose history row failed").isFalse();
		assertThat(ids()).containsExactly("1-a");

		this.db.execute("DROP TRIGGER fail_history ON databasechangelog");
		this.changeLog.applyTo(this.db);
		assertThat(ids()).containsExactly("1-a", "2-b", "3-c");
		assertThat(this.db.tableExists("t_b")).isTrue();
		assertThat(this.db.tableExists("t_c")).isTrue();
	}

	@Test
	void rolledBackChangeSetWhoseHistoryDeleteFailsStaysApplied() {
		this.changeLog.write(table("1-a", "t_a"), table("2-b", "t_b"), table("3-c", "t_c"));
		this.changeLog.applyTo(this.db);
		List<List<String>> history = this.db.rows(HISTORY);
		failHistory("DELETE", "OLD", "2-b");
		MigrationCommands commands = new MigrationCommands(this.changeLog.engine(this.db));

		assertThatExceptionOfType(MigrationException.class)
			.isThrownBy(() -> commands.rollback(RollbackTarget.count(2)));

		assertThat(this.db.tableExists("t_c")).as("3-c was rolled back before 2-b failed").isFalse();
		assertThat(this.db.tableExists("t_b")).as("table of the changeset whose row could not be deleted").isTrue();
		assertThat(ids()).containsExactly("1-a", "2-b");

		this.db.execute("DROP TRIGGER fail_history ON databasechangelog");
		new MigrationCommands(this.changeLog.engine(this.db)).rollback(RollbackTarget.count(1));
		assertThat(this.db.tableExists("t_b")).isFalse();
		assertThat(ids()).containsExactly("1-a");
		this.changeLog.applyTo(this.db);
		assertThat(this.db.rows(HISTORY)).isEqualTo(history);
	}

	@Test
	void nonTransactionalChangeSetLeftUnrecordedIsNamedByTheNextRun() {
		this.changeLog.write(table("1-a", "t_a"));
		this.changeLog.applyTo(this.db);
		failHistory("INSERT", "NEW", "2-nt");
		this.changeLog.write(table("1-a", "t_a"), """
				  - changeSet:
				      id: 2-nt
				      author: atomic
				      runInTransaction: false
				      changes:
				        - sql:
				            sql: CREATE TABLE IF NOT EXISTS t_nt (id int)
				""", table("3-c", "t_c"));

		assertThatExceptionOfType(MigrationException.class).isThrownBy(() -> this.changeLog.applyTo(this.db));
		assertThat(this.db.tableExists("t_nt")).as("a changeset outside a transaction commits as it goes").isTrue();
		assertThat(this.db.rows("SELECT operation, id, author FROM lockstep_in_flight"))
			.containsExactly(List.of("APPLY", "2-nt", "atomic"));
		assertThat(warnings()).noneMatch((line) -> line.contains("may have been partly applied"));

		this.db.execute("DROP TRIGGER fail_history ON databasechangelog");
		this.changeLog.applyTo(this.db);

		assertThat(warnings()).anySatisfy((line) -> assertThat(line).contains("2-nt::atomic")
			.contains("may have been partly applied")
			.contains("will be run again")
			.contains("IF NOT EXISTS"));
		assertThat(ids()).containsExactly("1-a", "2-nt", "3-c");
		assertThat(this.db.count("SELECT count(*) FROM lockstep_in_flight")).isZero();
	}

	@Test
	void preconditionsFailOnErrorAndRunAlwaysKeepLiquibasesHistory() {
		this.changeLog.write(table("1-a", "t_a"), """
				  - changeSet:
				      id: 2-mark-ran
				      author: atomic
				      preConditions:
				        - onFail: MARK_RAN
				        - tableExists: {tableName: no_such_table}
				      changes:
				        - createTable: {tableName: never_1, columns: [{column: {name: id, type: int}}]}
				  - changeSet:
				      id: 3-continue
				      author: atomic
				      preConditions:
				        - onFail: CONTINUE
				        - tableExists: {tableName: no_such_table}
				      changes:
				        - createTable: {tableName: never_2, columns: [{column: {name: id, type: int}}]}
				  - changeSet:
				      id: 4-fails
				      author: atomic
				      failOnError: false
				      changes:
				        - createTable: {tableName: half_1, columns: [{column: {name: id, type: int}}]}
				        - sql: {sql: SELECT no_such_column FROM t_a}
				  - changeSet:
				      id: 5-always
				      author: atomic
				      runAlways: true
				      changes:
				        - sql: {sql: INSERT INTO t_a (id) VALUES (1)}
				""", table("6-c", "t_c"));
		this.changeLog.applyTo(this.db);
		this.changeLog.applyTo(this.db);

		assertThat(this.db.rows("SELECT id, exectype FROM databasechangelog ORDER BY orderexecuted")).containsExactly(
				List.of("1-a", "EXECUTED"), List.of("2-mark-ran", "MARK_RAN"), List.of("6-c", "EXECUTED"),
				List.of("5-always", "RERAN"));
		assertThat(this.db.tableExists("never_1")).isFalse();
		assertThat(this.db.tableExists("never_2")).isFalse();
		assertThat(this.db.tableExists("half_1")).as("the failed changeset (failOnError: false) left nothing").isFalse();
		assertThat(this.db.count("SELECT count(*) FROM t_a")).as("runAlways ran on both runs").isEqualTo(2);
		assertThat(this.db.tableExists("lockstep_in_flight")).isFalse();
	}

	private List<String> ids() {
		return this.db.rows("SELECT id FROM databasechangelog ORDER BY orderexecuted")
			.stream()
			.map((row) -> row.get(0))
			.toList();
	}

	private List<String> warnings() {
		return this.log.list.stream()
			.filter((event) -> event.getLevel() == ch.qos.logback.classic.Level.WARN)
			.map(ILoggingEvent::getFormattedMessage)
			.toList();
	}

	private void failHistory(String operation, String row, String id) {
		this.db.execute("""
				CREATE FUNCTION fail_history() RETURNS trigger LANGUAGE plpgsql AS $$
				BEGIN
				  RAISE EXCEPTION 'history row of %% refused by the test', %s.id;
				END $$""".formatted(row));
		this.db.execute("CREATE TRIGGER fail_history BEFORE " + operation + " ON databasechangelog FOR EACH ROW WHEN ("
				+ row + ".id = '" + id + "') EXECUTE FUNCTION fail_history()");
	}

	private static String table(String id, String table) {
		return """
				  - changeSet:
				      id: %s
				      author: atomic
				      changes:
				        - createTable:
				            tableName: %s
				            columns:
				              - column: {name: id, type: int}
				""".formatted(id, table);
	}

}
