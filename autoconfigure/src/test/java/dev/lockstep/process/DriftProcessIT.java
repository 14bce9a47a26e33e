package dev.lockstep.process;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;

import liquibase.resource.DirectoryResourceAccessor;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInfo;
import org.junit.jupiter.api.condition.EnabledOnOs;
import org.junit.jupiter.api.condition.OS;

import dev.lockstep.core.MigrationEngine;
import dev.lockstep.core.api.DriftReport;
import dev.lockstep.core.api.DriftState;
import dev.lockstep.core.api.MigrationSettings;
import dev.lockstep.test.TestDatabase;
import dev.lockstep.test.TestDatabases;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Drift checks in this JVM while a run of {@link LockstepTestApp} in another JVM changes the schema: never a
 * transient drift report. While the run holds the lock the check says {@link DriftState#RUN_IN_PROGRESS}, and once
 * it has recorded, {@link DriftState#CLEAN}; a run killed (SIGKILL) after some changesets committed and before it
 * could record leaves {@link DriftState#STALE_RECORD}, until the next run records again.
 */
@EnabledOnOs({ OS.LINUX, OS.MAC })
class DriftProcessIT {

	private static final Path OUTPUT = Path.of("target", "process-tests");

	private static final String SLEEPING_RUN = "SELECT count(*) FROM pg_stat_activity WHERE datname = current_database()"
			+ " AND application_name LIKE 'lockstep:%' AND state = 'active' AND wait_event = 'PgSleep'";

	private static final String LOCKSTEP_SESSIONS = "SELECT count(*) FROM pg_stat_activity WHERE datname = "
			+ "current_database() AND application_name LIKE 'lockstep:%'";

	private static final String FIRST_RELEASE = """
			databaseChangeLog:
			  - changeSet:
			      id: 1-base
			      author: drift
			      changes:
			        - sql:
			            sql: CREATE TABLE base (id int PRIMARY KEY, name text); CREATE INDEX base_name_idx ON base (name)
			""";

	private final List<ChildProcess> children = new ArrayList<>();

	@AfterEach
	void stopChildren() {
		this.children.forEach(ChildProcess::destroy);
	}

	/**
	 * The second release's changesets create and alter objects, then sleep while the run holds the lock; this JVM
	 * checks drift in a loop all along.
	 */
	@Test
	void aRunInAnotherProcessIsNeverReportedAsDrift(TestInfo test) throws IOException {
		Path directory = outputDirectory(test);
		TestDatabase db = TestDatabases.create();
		Path changeLog = directory.resolve("changelog.yaml");
		Files.writeString(changeLog, FIRST_RELEASE);
		applyInChild(directory, "first", db, changeLog);
		MigrationEngine checker = checker(db, directory);
		assertThat(checker.checkDrift().state()).isEqualTo(DriftState.CLEAN);
		long firstObjects = db.count("SELECT object_count FROM lockstep_schema_record");

		Files.writeString(changeLog, FIRST_RELEASE + """
				  - changeSet:
				      id: 2-orders
				      author: drift
				      changes:
				        - sql:
				            sql: >-
				              CREATE TABLE orders (id int PRIMARY KEY, base_id int REFERENCES base (id), total numeric);
				              CREATE INDEX orders_base_idx ON orders (base_id);
				              CREATE VIEW order_totals AS SELECT base_id, sum(total) AS total FROM orders GROUP BY base_id;
				              SELECT pg_sleep(3)
				  - changeSet:
				      id: 3-alter
				      author: drift
				      changes:
				        - sql:
				            sql: >-
				              ALTER TABLE base ADD COLUMN note text NOT NULL DEFAULT '';
				              DROP INDEX base_name_idx;
				              CREATE SEQUENCE invoice_numbers;
				              SELECT pg_sleep(2)
				  - changeSet:
				      id: 4-last
				      author: drift
				      changes:
				        - createTable:
				            tableName: shipments
				            columns:
				              - column: {name: id, type: int}
				""");
		ChildProcess second = start(directory, "second", db, changeLog);
		Map<DriftState, Integer> seen = new EnumMap<>(DriftState.class);
		int checksWhileSleeping = 0;
		long deadline = System.nanoTime() + Duration.ofSeconds(120).toNanos();
		while (second.isAlive() && System.nanoTime() - deadline < 0) {
			boolean sleepingBefore = db.count(SLEEPING_RUN) == 1;
			DriftReport report = checker.checkDrift();
			boolean sleepingAfter = db.count(SLEEPING_RUN) == 1;
			seen.merge(report.state(), 1, Integer::sum);
			assertThat(report.state()).as("a check during the other process's run: %s%s", report, second.output())
				.isIn(DriftState.CLEAN, DriftState.RUN_IN_PROGRESS);
			if (sleepingBefore && sleepingAfter) {
				checksWhileSleeping++;
				assertThat(report.state()).as("a check while the run sleeps under the lock: %s", report)
					.isEqualTo(DriftState.RUN_IN_PROGRESS);
				assertThat(report.message()).contains("holds the lock");
			}
			ChildProcess.sleep(20);
		}
		assertThat(second.awaitExit(Duration.ofSeconds(30))).as("exit code of %s%s", second, second.output())
			.isEqualTo(0);
		assertThat(checksWhileSleeping).as("checks made while the run slept under the lock (%s)", seen)
			.isGreaterThan(5);

		DriftReport after = checker.checkDrift();
		assertThat(after.objects()).isEmpty();
		assertThat(after.state()).as("%s", after).isEqualTo(DriftState.CLEAN);
		assertThat(db.count("SELECT object_count FROM lockstep_schema_record")).as("objects recorded")
			.isGreaterThan(firstObjects);
		assertThat(db.rows("SELECT description FROM lockstep_schema_record").get(0).get(0))
			.contains("table\torders\t", "view\torder_totals\t", "column\tbase.note\t", "sequence\tinvoice_numbers\t",
					"table\tshipments\t")
			.doesNotContain("base_name_idx");
		System.out.printf("[drift during a run] checks by state: %s, %d of them while the run slept under the lock%n",
				seen, checksWhileSleeping);
	}

	/**
	 * A run is killed (SIGKILL) after one changeset committed, while the next sleeps: no check reports drift, the
	 * one after the kill says the record is stale, and the next run records again.
	 */
	@Test
	void aRunKilledBeforeItRecordedLeavesAStaleRecordNeverDrift(TestInfo test) throws IOException {
		Path directory = outputDirectory(test);
		TestDatabase db = TestDatabases.create();
		// Non-transactional: the first run of 3-slow sleeps, the one that redoes it does not.
		db.execute("CREATE SEQUENCE slow_once");
		Path changeLog = directory.resolve("changelog.yaml");
		Files.writeString(changeLog, FIRST_RELEASE);
		applyInChild(directory, "first", db, changeLog);
		MigrationEngine checker = checker(db, directory);
		assertThat(checker.checkDrift().state()).isEqualTo(DriftState.CLEAN);
		List<List<String>> firstRecord = db.rows("SELECT version, description_hash FROM lockstep_schema_record");

		Files.writeString(changeLog, FIRST_RELEASE + """
				  - changeSet:
				      id: 2-committed
				      author: drift
				      changes:
				        - sql:
				            sql: >-
				              CREATE TABLE kept (id int PRIMARY KEY); CREATE INDEX kept_idx ON kept (id, id);
				              ALTER TABLE base DROP COLUMN name
				  - changeSet:
				      id: 3-slow
				      author: drift
				      changes:
				        - sql:
				            sql: >-
				              CREATE TABLE half_done (id int);
				              SELECT pg_sleep(CASE WHEN nextval('slow_once') = 1 THEN 300 ELSE 0 END)
				""");
		ChildProcess killed = start(directory, "killed", db, changeLog);
		Map<DriftState, Integer> seen = new EnumMap<>(DriftState.class);
		long deadline = System.nanoTime() + Duration.ofSeconds(120).toNanos();
		while (db.count(SLEEPING_RUN) == 0 && killed.isAlive() && System.nanoTime() - deadline < 0) {
			checkNoDrift(checker, seen, killed);
			ChildProcess.sleep(20);
		}
		assertThat(db.count(SLEEPING_RUN)).as("the run sleeps in 3-slow%s", killed.output()).isEqualTo(1);
		assertThat(db.count("SELECT count(*) FROM databasechangelog WHERE id = '2-committed'")).isEqualTo(1);
		for (int i = 0; i < 5; i++) {
			assertThat(checkNoDrift(checker, seen, killed)).isEqualTo(DriftState.RUN_IN_PROGRESS);
		}

		killed.kill();
		assertThat(killed.awaitExit(Duration.ofSeconds(10))).as("%s killed", killed).isEqualTo(137);
		DriftState state = DriftState.RUN_IN_PROGRESS;
		deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
		while (state == DriftState.RUN_IN_PROGRESS && System.nanoTime() - deadline < 0) {
			state = checkNoDrift(checker, seen, killed);
			ChildProcess.sleep(20);
		}
		assertThat(db.count(LOCKSTEP_SESSIONS)).as("the killed run's sessions ended").isZero();
		DriftReport stale = checker.checkDrift();
		assertThat(stale.state()).as("%s (states seen: %s)", stale, seen).isEqualTo(DriftState.STALE_RECORD);
		assertThat(stale.objects()).isEmpty();
		assertThat(db.rows("SELECT version, description_hash FROM lockstep_schema_record"))
			.as("the record the killed run could not replace").isEqualTo(firstRecord);

		applyInChild(directory, "next", db, changeLog);
		DriftReport after = checker.checkDrift();
		assertThat(after.objects()).isEmpty();
		assertThat(after.state()).as("%s", after).isEqualTo(DriftState.CLEAN);
		assertThat(db.rows("SELECT description FROM lockstep_schema_record").get(0).get(0))
			.contains("table\tkept\t", "index\tkept_idx\t", "table\thalf_done\t")
			.doesNotContain("column\tbase.name\t");
		System.out.printf("[drift around a killed run] checks by state: %s%n", seen);
	}

	private static DriftState checkNoDrift(MigrationEngine checker, Map<DriftState, Integer> seen,
			ChildProcess child) {
		DriftReport report = checker.checkDrift();
		seen.merge(report.state(), 1, Integer::sum);
		assertThat(report.state()).as("a check around the other process's run: %s%s", report, child.output())
			.isIn(DriftState.CLEAN, DriftState.RUN_IN_PROGRESS, DriftState.STALE_RECORD);
		assertThat(report.objects()).isEmpty();
		return report.state();
	}

	/** An engine of this JVM on the same database, used only to check drift (it never runs). */
	private static MigrationEngine checker(TestDatabase db, Path directory) throws IOException {
		return new MigrationEngine(db.dataSource(), new DirectoryResourceAccessor(directory),
				MigrationSettings.of("changelog.yaml"));
	}

	private void applyInChild(Path directory, String name, TestDatabase db, Path changeLog) {
		ChildProcess child = start(directory, name, db, changeLog);
		assertThat(child.awaitExit(Duration.ofSeconds(120))).as("exit code of %s%s", child, child.output())
			.isEqualTo(0);
	}

	private ChildProcess start(Path directory, String name, TestDatabase db, Path changeLog) {
		List<String> arguments = new ArrayList<>(List.of(db.springArguments()));
		arguments.add("--migrations.change-log=file:" + changeLog.toAbsolutePath());
		arguments.add("--spring.application.name=" + name);
		ChildProcess child = ChildProcess.start(directory, name, Map.of(), arguments);
		this.children.add(child);
		return child;
	}

	private static Path outputDirectory(TestInfo test) throws IOException {
		Path directory = OUTPUT.resolve("drift-" + test.getTestMethod().orElseThrow().getName());
		if (Files.exists(directory)) {
			try (var files = Files.walk(directory)) {
				files.sorted(java.util.Comparator.reverseOrder()).forEach((file) -> file.toFile().delete());
			}
		}
		Files.createDirectories(directory);
		return directory;
	}

}
