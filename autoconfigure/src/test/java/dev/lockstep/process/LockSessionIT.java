package dev.lockstep.process;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInfo;
import org.junit.jupiter.api.condition.EnabledOnOs;
import org.junit.jupiter.api.condition.OS;

import dev.lockstep.test.TestDatabase;
import dev.lockstep.test.TestDatabases;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * One session holds the lock and does the work, and the lock belongs to the history table as the database
 * resolves it; proven with separate JVMs of {@link LockstepTestApp} on one database. Output is kept under
 * {@code target/process-tests/}.
 */
@EnabledOnOs({ OS.LINUX, OS.MAC })
class LockSessionIT {

	private static final Path OUTPUT = Path.of("target", "process-tests");

	private static final String SLEEPING = "SELECT count(*) FROM pg_stat_activity WHERE datname = current_database() "
			+ "AND application_name LIKE 'lockstep%' AND state = 'active' AND wait_event = 'PgSleep'";

	/** A non-transactional changeset that records that it ran, then waits for the test's {@link Gate}. */
	private static final String GATED = """
			databaseChangeLog:
			  - changeSet:
			      id: 1-gated
			      author: gated
			      runInTransaction: false
			      changes:
			        - sql: {sql: "INSERT INTO runs VALUES ('1-gated')"}
			        - sql: {sql: "SELECT id FROM gate FOR UPDATE"}
			""";

	private final List<ChildProcess> children = new ArrayList<>();

	@AfterEach
	void stopChildren() {
		this.children.forEach(ChildProcess::destroy);
	}

	/**
	 * The session holding the lock is ended (pg_terminate_backend, found through pg_locks) in the middle of a slow
	 * transactional changeset while a second instance waits: the first stops with the lock-lost error and its
	 * changeset leaves nothing; the second applies it, once.
	 */
	@Test
	void killingTheLockSessionStopsTheRunAndTheNextInstanceAppliesOnce(TestInfo test) throws IOException {
		Path directory = outputDirectory(test);
		TestDatabase db = TestDatabases.create();
		db.execute("CREATE SEQUENCE slow_once");
		db.execute("CREATE TABLE applied_rows (id int)");
		Path changeLog = write(directory.resolve("changelog.yaml"), """
				databaseChangeLog:
				  - changeSet:
				      id: 1-first
				      author: lost
				      changes:
				        - sql: {sql: INSERT INTO applied_rows VALUES (1)}
				  - changeSet:
				      id: 2-slow
				      author: lost
				      changes:
				        - sql: {sql: INSERT INTO applied_rows VALUES (2)}
				        - sql: {sql: "SELECT pg_sleep(CASE WHEN nextval('slow_once') = 1 THEN 300 ELSE 0 END)"}
				""");
		ChildProcess a = start(directory, "a", db, changeLog);
		assertThat(a.await(() -> db.count(SLEEPING) == 1, Duration.ofSeconds(60))).as("A sleeps in 2-slow%s",
				a.output())
			.isTrue();
		ChildProcess b = start(directory, "b", db, changeLog);
		awaitPolling(b, db);

		assertThat(db.count("SELECT count(pg_terminate_backend(pid)) FROM pg_locks WHERE locktype = 'advisory' "
				+ "AND granted AND database = (SELECT oid FROM pg_database WHERE datname = current_database())"))
			.as("sessions holding an advisory lock, ended")
			.isEqualTo(1);

		assertThat(a.awaitExit(Duration.ofSeconds(60))).as("A's exit code%s", a.output()).isEqualTo(1);
		assertThat(a.output()).contains("The migration lock was lost: the database ended the run's session (")
			.contains("2-slow::lost")
			.contains("was rolled back, leaving nothing behind")
			.contains("The next start applies what is still pending");
		assertThat(b.awaitExit(Duration.ofSeconds(60))).as("B's exit code%s", b.output()).isEqualTo(0);
		assertThat(b.isReady()).isTrue();
		assertThat(db.rows("SELECT id FROM applied_rows ORDER BY id")).as("rows the changesets inserted")
			.containsExactly(List.of("1"), List.of("2"));
		assertThat(db.rows("SELECT id FROM databasechangelog ORDER BY orderexecuted"))
			.containsExactly(List.of("1-first"), List.of("2-slow"));
		assertThat(db.count("SELECT last_value FROM slow_once")).as("2-slow ran twice: A's rolled back, B's")
			.isEqualTo(2);
	}

	/**
	 * The first instance's role has a 2 s idle_session_timeout (the old, idle lock session died of it), and the
	 * second instance runs as a role that may not end the first one's sessions: while the first is held inside a
	 * non-transactional changeset, the second waits (it does not run alongside), then applies what is new once the
	 * first has finished. Nothing runs twice.
	 */
	@Test
	void anInstanceThatMayNotEndTheHoldersSessionsWaitsForIt(TestInfo test) throws Exception {
		Path directory = outputDirectory(test);
		TestDatabase db = TestDatabases.create();
		String limited = db.name() + "_limited";
		db.execute("CREATE ROLE " + limited + " LOGIN PASSWORD 'limited' NOSUPERUSER NOINHERIT");
		db.execute("GRANT CREATE, USAGE ON SCHEMA public TO " + limited);
		db.execute("ALTER DEFAULT PRIVILEGES FOR ROLE " + db.user() + " IN SCHEMA public GRANT ALL ON TABLES TO "
				+ limited);
		db.execute("ALTER ROLE " + db.user() + " IN DATABASE " + db.name() + " SET idle_session_timeout = '2s'");
		db.execute("CREATE TABLE runs (changeset varchar(20))");
		db.execute("GRANT ALL ON TABLE runs TO " + limited);
		Path changeLog = write(directory.resolve("changelog.yaml"), GATED + """
				  - changeSet:
				      id: 2-after
				      author: gated
				      changes:
				        - sql: {sql: "INSERT INTO runs VALUES ('2-after')"}
				""");
		try (Gate gate = Gate.close(db, limited)) {
			ChildProcess a = start(directory, "a", db, changeLog);
			gate.awaitBlocked(a);
			// B is the next version: one more changeset, in the same file (A parsed it already).
			Files.writeString(changeLog, Files.readString(changeLog) + """
					  - changeSet:
					      id: 3-new
					      author: gated
					      changes:
					        - sql: {sql: "INSERT INTO runs VALUES ('3-new')"}
					""");
			ChildProcess b = start(directory, "b", db, changeLog, "--migrations.user=" + limited,
					"--migrations.password=limited");
			awaitPolling(b, db);
			// Longer than A's old lock session lived idle (2 s) plus the old 10 s wait for "orphans" to exit.
			Thread.sleep(15_000);
			assertThat(db.rows("SELECT changeset FROM runs")).as("while A is held: B ran nothing%s", b.output())
				.containsExactly(List.of("1-gated"));
			gate.open();

			assertThat(a.awaitExit(Duration.ofSeconds(90))).as("A's exit code%s", a.output()).isEqualTo(0);
			assertThat(b.awaitExit(Duration.ofSeconds(90))).as("B's exit code%s", b.output()).isEqualTo(0);
			assertThat(db.rows("SELECT changeset, count(*) FROM runs GROUP BY changeset ORDER BY 1"))
				.as("times each changeset ran%s%s", a.output(), b.output())
				.containsExactly(List.of("1-gated", "1"), List.of("2-after", "1"), List.of("3-new", "1"));
			assertThat(db.rows("SELECT id FROM databasechangelog ORDER BY orderexecuted"))
				.containsExactly(List.of("1-gated"), List.of("2-after"), List.of("3-new"));
			assertThat(b.stdout()).as("B waited for A").contains("Got the migration lock after waiting");
			assertThat(b.stdout()).doesNotContain("changeset 1-gated::gated").contains("3-new::gated");
		}
	}

	/**
	 * One instance with migrations.liquibase-schema unset, one with it set to {@code PUBLIC}: one history table,
	 * so one lock. The second waits while the first is held inside its changeset and applies nothing twice.
	 */
	@Test
	void unsetLiquibaseSchemaAndPublicShareOneLock(TestInfo test) throws Exception {
		Path directory = outputDirectory(test);
		TestDatabase db = TestDatabases.create();
		db.execute("CREATE TABLE runs (changeset varchar(20))");
		Path changeLog = write(directory.resolve("changelog.yaml"), GATED);
		try (Gate gate = Gate.close(db, null)) {
			ChildProcess a = start(directory, "a", db, changeLog);
			gate.awaitBlocked(a);
			ChildProcess b = start(directory, "b", db, changeLog, "--migrations.liquibase-schema=PUBLIC");
			awaitPolling(b, db);
			Thread.sleep(3_000);
			assertThat(db.rows("SELECT changeset FROM runs")).as("while A is held: B ran nothing%s", b.output())
				.containsExactly(List.of("1-gated"));
			gate.open();

			assertThat(a.awaitExit(Duration.ofSeconds(90))).as("A's exit code%s", a.output()).isEqualTo(0);
			assertThat(b.awaitExit(Duration.ofSeconds(90))).as("B's exit code%s", b.output()).isEqualTo(0);
			assertThat(db.rows("SELECT changeset, count(*) FROM runs GROUP BY changeset"))
				.as("times 1-gated ran%s%s", a.output(), b.output())
				.containsExactly(List.of("1-gated", "1"));
			assertThat(db.count("SELECT count(*) FROM databasechangelog")).isEqualTo(1);
			// B may see A's row while polling, or only once it holds the lock (then its up-to-date line names
			// 1-gated as the position): either way it never logs applying it.
			assertThat(b.stdout()).as("B waited for A, then found nothing to do")
				.containsAnyOf("Got the migration lock after waiting",
						"Another instance applied the pending changesets while this one waited")
				.doesNotContain("changeset 1-gated::gated");
		}
	}

	/**
	 * Two services with their own schemas (default-schema and liquibase-schema {@code a}, and {@code b}) in one
	 * database: two history tables, two locks, both run at the same time.
	 */
	@Test
	void separateSchemasRunAtTheSameTime(TestInfo test) throws IOException {
		Path directory = outputDirectory(test);
		TestDatabase db = TestDatabases.create();
		db.execute("CREATE SCHEMA a");
		db.execute("CREATE SCHEMA b");
		Path changeLog = write(directory.resolve("changelog.yaml"), """
				databaseChangeLog:
				  - changeSet:
				      id: 1-slow
				      author: schemas
				      changes:
				        - createTable:
				            tableName: things
				            columns:
				              - column: {name: id, type: int}
				        - sql: {sql: "SELECT pg_sleep(6)"}
				""");
		ChildProcess a = start(directory, "a", db, changeLog, "--migrations.default-schema=a",
				"--migrations.liquibase-schema=a");
		ChildProcess b = start(directory, "b", db, changeLog, "--migrations.default-schema=b",
				"--migrations.liquibase-schema=b");
		assertThat(a.await(() -> db.count(SLEEPING) == 2, Duration.ofSeconds(60)))
			.as("both sleep in their changeset at once%s%s", a.output(), b.output())
			.isTrue();
		assertThat(a.awaitExit(Duration.ofSeconds(90))).as("A's exit code%s", a.output()).isEqualTo(0);
		assertThat(b.awaitExit(Duration.ofSeconds(90))).as("B's exit code%s", b.output()).isEqualTo(0);
		assertThat(db.count("SELECT count(*) FROM a.databasechangelog")).isEqualTo(1);
		assertThat(db.count("SELECT count(*) FROM b.databasechangelog")).isEqualTo(1);
		assertThat(db.tableExists("things")).isTrue();
		assertThat(db.count("SELECT count(*) FROM information_schema.tables WHERE table_name = 'things'"))
			.isEqualTo(2);
	}

	/** Waits until the process's run session polls for the lock (its application name carries the pid). */
	private static void awaitPolling(ChildProcess process, TestDatabase db) {
		String query = "SELECT count(*) FROM pg_stat_activity WHERE datname = current_database() "
				+ "AND application_name LIKE 'lockstep:" + process.pid() + "@%'";
		assertThat(process.await(() -> db.count(query) == 1, Duration.ofSeconds(60)))
			.as("%s waits for the lock%s", process, process.output())
			.isTrue();
	}

	/** A row the test keeps locked, so that a changeset that selects it for update waits until it is opened. */
	private static final class Gate implements AutoCloseable {

		private final TestDatabase db;

		private final Connection connection;

		private Gate(TestDatabase db, Connection connection) {
			this.db = db;
			this.connection = connection;
		}

		static Gate close(TestDatabase db, String grantee) throws SQLException {
			db.execute("CREATE TABLE gate (id int)");
			db.execute("INSERT INTO gate VALUES (1)");
			if (grantee != null) {
				db.execute("GRANT ALL ON TABLE gate TO " + grantee);
			}
			Connection connection = db.connect();
			connection.setAutoCommit(false);
			try (Statement statement = connection.createStatement()) {
				statement.execute("SELECT id FROM gate FOR UPDATE");
			}
			return new Gate(db, connection);
		}

		void awaitBlocked(ChildProcess process) {
			String blocked = "SELECT count(*) FROM pg_stat_activity WHERE datname = current_database() "
					+ "AND application_name LIKE 'lockstep%' AND wait_event_type = 'Lock' AND query LIKE '%gate%'";
			assertThat(process.await(() -> this.db.count(blocked) == 1, Duration.ofSeconds(90)))
				.as("%s waits at the gate inside its changeset%s", process, process.output())
				.isTrue();
		}

		void open() throws SQLException {
			this.connection.rollback();
		}

		@Override
		public void close() throws SQLException {
			this.connection.close();
		}

	}

	private ChildProcess start(Path directory, String name, TestDatabase db, Path changeLog, String... arguments) {
		List<String> all = new ArrayList<>(List.of(db.springArguments()));
		all.add("--migrations.change-log=file:" + changeLog.toAbsolutePath());
		all.add("--spring.application.name=" + name);
		// The gated changeset waits on a row lock on purpose, for longer than the DDL lock timeout: without this
		// it would time out and be retried (running its non-transactional INSERT again).
		all.add("--migrations.ddl.lock-timeout=0");
		all.addAll(List.of(arguments));
		ChildProcess child = ChildProcess.start(directory, name, Map.of(), all);
		this.children.add(child);
		return child;
	}

	private static Path write(Path file, String yaml) throws IOException {
		Files.writeString(file, yaml);
		return file;
	}

	private static Path outputDirectory(TestInfo test) throws IOException {
		Path directory = OUTPUT.resolve("lock-session-" + test.getTestMethod().orElseThrow().getName());
		if (Files.exists(directory)) {
			try (var files = Files.walk(directory)) {
				files.sorted(java.util.Comparator.reverseOrder()).forEach((file) -> file.toFile().delete());
			}
		}
		Files.createDirectories(directory);
		return directory;
	}

}
