package dev.lockstep.process;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.IntStream;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInfo;
import org.junit.jupiter.api.condition.EnabledOnOs;
import org.junit.jupiter.api.condition.OS;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import dev.lockstep.core.lock.LockKey;
import dev.lockstep.test.TestDatabase;
import dev.lockstep.test.TestDatabases;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The lock as separate processes see it: many JVMs of {@link LockstepTestApp} starting at once, a run killed with
 * SIGKILL in the middle of a changeset and in the middle of creating the history tables, SIGTERM while waiting,
 * and the wait timeout. Each child's output is kept under {@code target/process-tests/}.
 * <p>
 * Timings are printed, not asserted tightly (speed belongs in benchmarks): the bounds asserted here only tell a
 * prompt recovery from one that waited for the dead run's slow statement ({@value #SLOW_SECONDS} s).
 * <p>
 * Needs POSIX signals: {@link Process#destroy()} sends SIGTERM and {@link Process#destroyForcibly()} SIGKILL.
 */
@EnabledOnOs({ OS.LINUX, OS.MAC })
class ProcessIT {

	private static final Path OUTPUT = Path.of("target", "process-tests");

	/**
	 * How long the killed run's statement sleeps: far longer than a prompt recovery, and than B's startup on a
	 * loaded machine (A must still be sleeping when it is killed).
	 */
	private static final int SLOW_SECONDS = 300;

	private static final Pattern APPLIED = Pattern.compile("Applied (\\d+) changeset\\(s\\) in (\\d+) ms");

	private static final String SLEEPING_RUN = "SELECT count(*) FROM pg_stat_activity WHERE datname = current_database()"
			+ " AND application_name LIKE 'lockstep:%' AND state = 'active' AND wait_event = 'PgSleep'";

	private final List<ChildProcess> children = new ArrayList<>();

	@AfterEach
	void stopChildren() {
		this.children.forEach(ChildProcess::destroy);
	}

	/**
	 * Eight JVMs start at once on one fresh database with a changelog of 220 changesets, five times over: all of
	 * them start, exactly one applies the changelog, and every changeset (and every row it inserts) is there
	 * exactly once.
	 */
	@Test
	void concurrentStartsApplyEveryChangeSetExactlyOnce(TestInfo test) throws IOException {
		Path directory = outputDirectory(test);
		int tables = 44;
		List<String> expectedIds = new ArrayList<>();
		Path changeLog = writeConcurrencyChangeLog(directory.resolve("concurrency-changelog.yaml"), tables,
				expectedIds);
		assertThat(expectedIds).hasSizeGreaterThanOrEqualTo(200);
		int processes = 8;
		for (int round = 1; round <= 5; round++) {
			TestDatabase db = TestDatabases.create();
			Path roundDirectory = directory.resolve("round-" + round);
			long started = System.currentTimeMillis();
			List<ChildProcess> instances = new ArrayList<>();
			for (int i = 1; i <= processes; i++) {
				instances.add(start(roundDirectory, "instance-" + i, db, changeLog, Map.of()));
			}
			long deadline = System.nanoTime() + Duration.ofSeconds(300).toNanos();
			for (ChildProcess instance : instances) {
				Integer exit = instance.awaitExit(Duration.ofNanos(Math.max(deadline - System.nanoTime(), 0)));
				assertThat(exit).as("round %d: exit code of %s%s", round, instance, instance.output()).isEqualTo(0);
				assertThat(instance.isReady()).as("round %d: %s started%s", round, instance, instance.output())
					.isTrue();
			}
			String allOutput = instances.stream().map(ChildProcess::output).collect(Collectors.joining());

			assertThat(db.count("SELECT count(*) FROM databasechangelog")).as("round %d: history rows", round)
				.isEqualTo(expectedIds.size());
			assertThat(db.rows("SELECT id, author, filename, count(*) FROM databasechangelog GROUP BY id, author, "
					+ "filename HAVING count(*) > 1"))
				.as("round %d: changesets recorded more than once", round)
				.isEmpty();
			assertThat(db.rows("SELECT id FROM databasechangelog ORDER BY orderexecuted")
				.stream()
				.map((row) -> row.get(0))
				.toList()).as("round %d: history in changelog order", round).isEqualTo(expectedIds);
			assertThat(db.count("SELECT count(*) FROM information_schema.tables WHERE table_schema = 'public' "
					+ "AND table_name LIKE 'conc_t%'"))
				.as("round %d: tables", round)
				.isEqualTo(tables);
			assertThat(db.count("SELECT count(*) FROM information_schema.columns WHERE table_schema = 'public' "
					+ "AND table_name LIKE 'conc_t%' AND column_name = 'amount'"))
				.as("round %d: added columns", round)
				.isEqualTo(tables);
			String rowCounts = IntStream.rangeClosed(1, tables)
				.mapToObj((t) -> "SELECT count(*) AS c FROM conc_t" + t)
				.collect(Collectors.joining(" UNION ALL "));
			assertThat(db.count("SELECT count(*) FROM (" + rowCounts + ") s WHERE c <> 2"))
				.as("round %d: tables whose inserts did not run exactly once", round)
				.isZero();
			assertThat(db.count("SELECT count(*) FROM databasechangeloglock WHERE locked"))
				.as("round %d: DATABASECHANGELOGLOCK rows left locked", round)
				.isZero();

			List<ChildProcess> leaders = instances.stream().filter((instance) -> applied(instance) > 0).toList();
			assertThat(leaders).as("round %d: instances that applied changesets%s", round, allOutput).hasSize(1);
			ChildProcess leader = leaders.get(0);
			assertThat(applied(leader)).as("round %d: changesets applied by the leader", round)
				.isEqualTo(expectedIds.size());
			// Nobody can hold the lock before the leader on a fresh database: it must not report a lock wait.
			assertThat(leader.stdout()).as("round %d: the leader's log%s", round, leader.output())
				.doesNotContain("Got the migration lock after waiting");

			Instant leaderFinished = leader.loggedAt("Applied " + expectedIds.size() + " changeset(s)");
			List<ChildProcess> followers = instances.stream().filter((instance) -> instance != leader).toList();
			long lastFollowerReady = followers.stream().mapToLong(ChildProcess::readyEpochMillis).max().orElseThrow();
			long followersThatWaited = followers.stream()
				.filter((instance) -> instance.printed("Another instance applied the pending changesets"))
				.count();
			System.out.printf(
					"[concurrency] round %d: %d processes, %d changesets, leader %s applied them in %s ms; "
							+ "leader finished -> last follower ready: %s ms; %d follower(s) waited for the lock, "
							+ "%d found the schema up to date without it; round took %d ms%n",
					round, processes, expectedIds.size(), leader, appliedMillis(leader),
					(leaderFinished != null) ? lastFollowerReady - leaderFinished.toEpochMilli() : "n/a",
					followersThatWaited, followers.size() - followersThatWaited,
					System.currentTimeMillis() - started);
			this.children.clear();
		}
	}

	/**
	 * A run is killed (SIGKILL) in the middle of a slow changeset that has already created a table; a waiting
	 * instance takes over promptly, the half-done changeset leaves no trace and runs again, once.
	 */
	@Test
	void runKilledInTheMiddleOfAChangeSetIsRecoveredPromptly(TestInfo test) throws IOException {
		Path directory = outputDirectory(test);
		TestDatabase db = TestDatabases.create();
		// Non-transactional: the first run of changeset 2 sleeps, the run that redoes it does not.
		db.execute("CREATE SEQUENCE slow_once");
		Path changeLog = writeSlowChangeLog(directory.resolve("slow-changelog.yaml"));

		ChildProcess a = start(directory, "a", db, changeLog, Map.of());
		assertThat(a.await(() -> db.count(SLEEPING_RUN) == 1, Duration.ofSeconds(60)))
			.as("A sleeps inside changeset 2%s", a.output())
			.isTrue();
		assertThat(db.count("SELECT count(*) FROM databasechangelog WHERE id = '1-first'")).isEqualTo(1);

		ChildProcess b = killWhileBWaitsThenRecover(directory, db, changeLog, a, "crash in changeset");

		assertThat(db.rows("SELECT id FROM databasechangelog ORDER BY orderexecuted"))
			.as("history after the recovery%s", b.output())
			.containsExactly(List.of("1-first"), List.of("2-slow"), List.of("3-after"));
		assertThat(db.count("SELECT last_value FROM slow_once"))
			.as("changeset 2 ran twice: A's half-done run and B's full one")
			.isEqualTo(2);
		assertThat(db.count("SELECT count(*) FROM half_done")).as("rows inserted by changeset 2").isEqualTo(1);
		assertThat(db.count("SELECT count(*) FROM crash_after")).as("rows inserted by changeset 3").isEqualTo(1);
		assertThat(db.count("SELECT count(*) FROM databasechangeloglock WHERE locked"))
			.as("DATABASECHANGELOGLOCK rows left locked")
			.isZero();
		assertThat(b.stdout()).as("B's log").contains("changeset 2-slow::crash").contains("changeset 3-after::crash")
			.doesNotContain("changeset 1-first::crash")
			.contains("Took over Liquibase's lock row left locked by a migration run that died");
	}

	/**
	 * A run is killed (SIGKILL) while it creates one of Liquibase's history tables on an empty database (Liquibase
	 * 4.33 creates DATABASECHANGELOG first, then DATABASECHANGELOGLOCK); the next instance creates them itself and
	 * applies the whole changelog.
	 */
	@ParameterizedTest(name = "killed while creating {0}")
	@ValueSource(strings = { "databasechangelog", "databasechangeloglock" })
	void runKilledWhileCreatingTheHistoryTablesIsRecoveredPromptly(String historyTable, TestInfo test)
			throws IOException {
		Path directory = outputDirectory(test, historyTable);
		TestDatabase db = TestDatabases.create();
		// Sequences are not transactional: only the first CREATE TABLE of that history table sleeps (A's), not B's.
		db.execute("CREATE SEQUENCE sleep_once");
		db.execute("""
				CREATE FUNCTION sleep_in_history_ddl() RETURNS event_trigger LANGUAGE plpgsql AS $$
				DECLARE
				  created record;
				BEGIN
				  FOR created IN SELECT * FROM pg_event_trigger_ddl_commands() LOOP
				    IF created.object_type = 'table' AND created.object_identity = 'public.%s' THEN
				      IF nextval('sleep_once') = 1 THEN
				        PERFORM pg_sleep(%d);
				      END IF;
				    END IF;
				  END LOOP;
				END $$""".formatted(historyTable, SLOW_SECONDS));
		db.execute("CREATE EVENT TRIGGER sleep_in_history_ddl ON ddl_command_end WHEN TAG IN ('CREATE TABLE') "
				+ "EXECUTE FUNCTION sleep_in_history_ddl()");
		Path changeLog = writeSimpleChangeLog(directory.resolve("simple-changelog.yaml"));

		ChildProcess a = start(directory, "a", db, changeLog, Map.of());
		assertThat(a.await(() -> db.count(SLEEPING_RUN) == 1, Duration.ofSeconds(60)))
			.as("A sleeps inside the creation of a history table%s", a.output())
			.isTrue();
		List<List<String>> sleeping = db.rows("SELECT query FROM pg_stat_activity WHERE datname = current_database() "
				+ "AND wait_event = 'PgSleep'");
		assertThat(sleeping).singleElement()
			.satisfies((row) -> assertThat(row.get(0)).containsPattern("(?i)CREATE TABLE public\\." + historyTable
					+ "\\s*\\("));
		System.out.printf("[crash creating %s] A is killed while executing: %s%n", historyTable,
				sleeping.get(0).get(0).replaceAll("\\s+", " "));

		ChildProcess b = killWhileBWaitsThenRecover(directory, db, changeLog, a, "crash creating " + historyTable);

		assertThat(db.tableExists("databasechangelog")).isTrue();
		assertThat(db.tableExists("databasechangeloglock")).isTrue();
		assertThat(db.count("SELECT last_value FROM sleep_once"))
			.as("CREATE TABLE %s: A's, rolled back, then B's", historyTable)
			.isEqualTo(2);
		assertThat(db.rows("SELECT id FROM databasechangelog ORDER BY orderexecuted"))
			.as("history after the recovery%s", b.output())
			.containsExactly(List.of("1-customers"), List.of("2-email"), List.of("3-first-customer"));
		assertThat(db.count("SELECT count(*) FROM customers")).isEqualTo(1);
		assertThat(db.rows("SELECT id, locked FROM databasechangeloglock"))
			.as("Liquibase's lock row, present and unlocked")
			.containsExactly(List.of("1", "f"));
	}

	/**
	 * SIGTERM while the instance waits for another's lock ends the process promptly, having changed nothing.
	 */
	@Test
	void sigtermWhileWaitingForTheLockEndsTheProcess(TestInfo test) throws Exception {
		Path directory = outputDirectory(test);
		TestDatabase db = TestDatabases.create();
		Path changeLog = writeSimpleChangeLog(directory.resolve("simple-changelog.yaml"));
		try (Connection holder = holdLock(db, "process-tests-holder")) {
			ChildProcess b = start(directory, "b", db, changeLog, Map.of());
			assertThat(b.await(() -> b.printed("for the migration lock held by"), Duration.ofSeconds(60)))
				.as("B logs that it waits for the lock%s", b.output())
				.isTrue();
			assertThat(b.lineContaining("for the migration lock held by")).as("B names the holder")
				.contains("process-tests-holder");

			long signalled = System.nanoTime();
			b.terminate();
			Integer exit = b.awaitExit(Duration.ofSeconds(30));
			long exitMillis = Duration.ofNanos(System.nanoTime() - signalled).toMillis();
			System.out.printf("[sigterm while waiting] SIGTERM -> exit: %d ms (exit code %s)%n", exitMillis, exit);
			assertThat(exit).as("B ended after SIGTERM%s", b.output()).isNotNull();
			assertThat(exitMillis).as("ms from SIGTERM to exit%s", b.output()).isLessThan(10_000);
			assertThat(b.isReady()).as("B never started%s", b.output()).isFalse();
		}
		assertThat(db.count("SELECT count(*) FROM pg_tables WHERE schemaname = 'public'"))
			.as("tables in the database after B was stopped")
			.isZero();
	}

	/**
	 * With the lock held by another instance for longer than the wait timeout, startup fails, naming the holder.
	 */
	@Test
	void lockWaitTimeoutFailsStartupNamingTheHolder(TestInfo test) throws IOException {
		Path directory = outputDirectory(test);
		TestDatabase db = TestDatabases.create();
		db.execute("CREATE SEQUENCE slow_once");
		Path changeLog = writeSlowChangeLog(directory.resolve("slow-changelog.yaml"));

		ChildProcess a = start(directory, "a", db, changeLog, Map.of("HOSTNAME", "ci-node-a"),
				"--spring.application.name=holder-app");
		assertThat(a.await(() -> db.count(SLEEPING_RUN) == 1, Duration.ofSeconds(60)))
			.as("A holds the lock, sleeping inside changeset 2%s", a.output())
			.isTrue();
		List<List<String>> historyBefore = db.rows("SELECT id, author, filename FROM databasechangelog");
		List<List<String>> tablesBefore = db.rows("SELECT tablename FROM pg_tables WHERE schemaname = 'public' "
				+ "ORDER BY 1");

		ChildProcess b = start(directory, "b", db, changeLog, Map.of("HOSTNAME", "ci-node-b"),
				"--migrations.lock.wait-timeout=3s");
		Integer exit = b.awaitExit(Duration.ofSeconds(60));
		String output = b.output();
		assertThat(exit).as("B's exit code%s", output).isNotNull().isNotZero();
		assertThat(b.isReady()).as("B started%s", output).isFalse();
		assertThat(output).contains("Timed out after 3 s waiting for the migration lock held by")
			.contains("held by holder-app (pid " + a.pid() + " on ci-node-a)")
			.contains("ci-node-a")
			.contains("Nothing was changed");
		assertThat(a.isAlive()).as("A still holds the lock%s", a.output()).isTrue();
		assertThat(db.rows("SELECT id, author, filename FROM databasechangelog")).as("history after B failed")
			.isEqualTo(historyBefore);
		assertThat(db.rows("SELECT tablename FROM pg_tables WHERE schemaname = 'public' ORDER BY 1"))
			.as("tables after B failed")
			.isEqualTo(tablesBefore);
		System.out.printf("[lock wait timeout] B failed with: %s%n",
				output.lines().filter((line) -> line.startsWith("Lockstep migrations: Timed out")).findFirst().orElse("?"));
	}

	private ChildProcess start(Path directory, String name, TestDatabase db, Path changeLog,
			Map<String, String> environment, String... arguments) {
		List<String> all = new ArrayList<>(List.of(db.springArguments()));
		all.add("--migrations.change-log=file:" + changeLog.toAbsolutePath());
		List<String> extra = List.of(arguments);
		if (extra.stream().noneMatch((argument) -> argument.startsWith("--spring.application.name="))) {
			all.add("--spring.application.name=" + name);
		}
		all.addAll(extra);
		ChildProcess child = ChildProcess.start(directory, name, environment, all);
		this.children.add(child);
		return child;
	}

	/** Waits until the process's lock session polls for the lock (its application name carries the pid). */
	private static void awaitWaitingForLock(ChildProcess process, TestDatabase db) {
		String query = "SELECT count(*) FROM pg_stat_activity WHERE datname = current_database() "
				+ "AND application_name LIKE 'lockstep:" + process.pid() + "@%'";
		assertThat(process.await(() -> db.count(query) == 1, Duration.ofSeconds(60)))
			.as("%s waits for the lock%s", process, process.output())
			.isTrue();
	}

	/** SIGKILL; returns the wall-clock time of the kill. */
	/**
	 * Starts B, waits until it waits for A's lock, kills A, and checks that B completes the run: ready well before
	 * A's slow statement would have ended, exit code 0. Prints how long the recovery took.
	 */
	private ChildProcess killWhileBWaitsThenRecover(Path directory, TestDatabase db, Path changeLog, ChildProcess a,
			String label) {
		ChildProcess b = start(directory, "b", db, changeLog, Map.of());
		awaitWaitingForLock(b, db);
		long killed = killAndWait(a);
		assertThat(b.await(b::isReady, Duration.ofSeconds(60))).as("B started after A was killed%s%s", a.output(),
				b.output())
			.isTrue();
		long recovery = b.readyEpochMillis() - killed;
		Instant acquired = b.loggedAt("Got the migration lock");
		System.out.printf("[%s] kill -> B acquired the lock: %s ms; kill -> B ready: %d ms%n", label,
				(acquired != null) ? acquired.toEpochMilli() - killed : "n/a", recovery);
		assertThat(recovery).as("ms from the kill until B was ready (A's statement would have slept %d s)%s",
				SLOW_SECONDS, b.output())
			.isLessThan(20_000);
		assertThat(b.awaitExit(Duration.ofSeconds(30))).as("B's exit code%s", b.output()).isEqualTo(0);
		return b;
	}

	private static long killAndWait(ChildProcess process) {
		long killed = System.currentTimeMillis();
		process.kill();
		assertThat(process.awaitExit(Duration.ofSeconds(10))).as("%s killed", process).isEqualTo(137);
		return killed;
	}

	/** Takes the migration lock of the default history location, as another instance would. */
	private static Connection holdLock(TestDatabase db, String applicationName) throws SQLException {
		Properties properties = new Properties();
		properties.setProperty("user", db.user());
		properties.setProperty("password", db.password());
		properties.setProperty("ApplicationName", applicationName);
		Connection connection = DriverManager.getConnection(db.url(), properties);
		LockKey key = LockKey.forSchema("public");
		try (PreparedStatement statement = connection.prepareStatement("SELECT pg_advisory_lock(?)")) {
			statement.setLong(1, key.value());
			statement.execute();
		}
		return connection;
	}

	private static int applied(ChildProcess instance) {
		Matcher applied = APPLIED.matcher(instance.stdout());
		return applied.find() ? Integer.parseInt(applied.group(1)) : 0;
	}

	private static String appliedMillis(ChildProcess instance) {
		Matcher applied = APPLIED.matcher(instance.stdout());
		return applied.find() ? applied.group(2) : "?";
	}

	private Path outputDirectory(TestInfo test) throws IOException {
		return outputDirectory(test, null);
	}

	private Path outputDirectory(TestInfo test, String variant) throws IOException {
		String name = test.getTestMethod().orElseThrow().getName();
		Path directory = OUTPUT.resolve((variant != null) ? name + "-" + variant : name);
		if (Files.exists(directory)) {
			try (var files = Files.walk(directory)) {
				files.sorted(java.util.Comparator.reverseOrder()).forEach((file) -> file.toFile().delete());
			}
		}
		Files.createDirectories(directory);
		return directory;
	}

	/** Per table: create it, add a column, insert two rows, index it (five changesets). */
	private static Path writeConcurrencyChangeLog(Path file, int tables, List<String> ids) throws IOException {
		StringBuilder yaml = new StringBuilder("databaseChangeLog:\n");
		for (int t = 1; t <= tables; t++) {
			String table = "conc_t" + t;
			changeSet(yaml, ids, t + "-create", """
					        - createTable:
					            tableName: %1$s
					            columns:
					              - column: {name: id, type: bigint, constraints: {primaryKey: true}}
					              - column: {name: name, type: varchar(100)}
					""".formatted(table));
			changeSet(yaml, ids, t + "-add-amount", """
					        - addColumn:
					            tableName: %1$s
					            columns:
					              - column: {name: amount, type: 'numeric(12,2)'}
					""".formatted(table));
			for (int row = 1; row <= 2; row++) {
				changeSet(yaml, ids, t + "-insert-" + row, """
						        - insert:
						            tableName: %1$s
						            columns:
						              - column: {name: id, valueNumeric: %2$d}
						              - column: {name: name, value: row-%2$d}
						              - column: {name: amount, valueNumeric: %2$d.50}
						""".formatted(table, row));
			}
			changeSet(yaml, ids, t + "-index", """
					        - createIndex:
					            tableName: %1$s
					            indexName: ix_%1$s_name
					            columns:
					              - column: {name: name}
					""".formatted(table));
		}
		Files.writeString(file, yaml);
		return file;
	}

	private static void changeSet(StringBuilder yaml, List<String> ids, String id, String changes) {
		ids.add(id);
		yaml.append("  - changeSet:\n      id: ").append(id).append("\n      author: process-tests\n")
			.append("      changes:\n")
			.append(changes);
	}

	/** Changeset 2 creates a table, inserts a row, then sleeps {@value #SLOW_SECONDS} s the first time it runs. */
	private static Path writeSlowChangeLog(Path file) throws IOException {
		Files.writeString(file, """
				databaseChangeLog:
				  - changeSet:
				      id: 1-first
				      author: crash
				      changes:
				        - createTable:
				            tableName: crash_first
				            columns:
				              - column: {name: id, type: int}
				  - changeSet:
				      id: 2-slow
				      author: crash
				      changes:
				        - createTable:
				            tableName: half_done
				            columns:
				              - column: {name: id, type: int, constraints: {primaryKey: true}}
				        - insert:
				            tableName: half_done
				            columns:
				              - column: {name: id, valueNumeric: 1}
				        - sql:
				            sql: SELECT pg_sleep(CASE WHEN nextval('slow_once') = 1 THEN %d ELSE 0 END)
				  - changeSet:
				      id: 3-after
				      author: crash
				      changes:
				        - createTable:
				            tableName: crash_after
				            columns:
				              - column: {name: id, type: int}
				        - insert:
				            tableName: crash_after
				            columns:
				              - column: {name: id, valueNumeric: 1}
				""".formatted(SLOW_SECONDS));
		return file;
	}

	private static Path writeSimpleChangeLog(Path file) throws IOException {
		Files.writeString(file, """
				databaseChangeLog:
				  - changeSet:
				      id: 1-customers
				      author: simple
				      changes:
				        - createTable:
				            tableName: customers
				            columns:
				              - column: {name: id, type: bigint, constraints: {primaryKey: true}}
				              - column: {name: name, type: varchar(200)}
				  - changeSet:
				      id: 2-email
				      author: simple
				      changes:
				        - addColumn:
				            tableName: customers
				            columns:
				              - column: {name: email, type: varchar(320)}
				  - changeSet:
				      id: 3-first-customer
				      author: simple
				      changes:
				        - insert:
				            tableName: customers
				            columns:
				              - column: {name: id, valueNumeric: 1}
				              - column: {name: name, value: Ana}
				""");
		return file;
	}

}
