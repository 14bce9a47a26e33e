package dev.lockstep.process;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;

import liquibase.integration.spring.SpringResourceAccessor;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInfo;
import org.junit.jupiter.api.condition.EnabledOnOs;
import org.junit.jupiter.api.condition.OS;
import org.springframework.core.io.DefaultResourceLoader;

import dev.lockstep.core.MigrationCommands;
import dev.lockstep.core.MigrationEngine;
import dev.lockstep.core.api.DriftReport;
import dev.lockstep.core.api.DriftState;
import dev.lockstep.core.api.MigrationSettings;
import dev.lockstep.core.api.UpdateTarget;
import dev.lockstep.corpora.CatalogDump;
import dev.lockstep.test.TestDatabase;
import dev.lockstep.test.TestDatabases;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * SIGKILL at many points of a run of 300 small changesets ({@code createTable}, {@code addColumn}), including the
 * moment between a changeset's statements and its DATABASECHANGELOG row, held open by a trigger on the history table
 * that sleeps: after each kill the database holds either both or neither, and the next start completes with the
 * history and the schema of a clean run. The same for a rollback (the undo and the deletion of the row).
 * <p>
 * Each child's output is kept under {@code target/process-tests/}. The waits are generous: a loaded machine starts
 * JVMs slowly.
 */
@EnabledOnOs({ OS.LINUX, OS.MAC })
class AtomicChangeSetProcessIT {

	private static final Path OUTPUT = Path.of("target", "process-tests");

	private static final int TABLES = 60;

	private static final int COLUMNS = 4;

	private static final String HISTORY = "SELECT id, author, filename, md5sum, exectype FROM databasechangelog "
			+ "ORDER BY orderexecuted";

	private static final String PAUSED_RUN = "SELECT count(*) FROM pg_stat_activity WHERE datname = current_database()"
			+ " AND application_name LIKE 'lockstep:%' AND wait_event = 'PgSleep'";

	private final List<ChildProcess> children = new ArrayList<>();

	@AfterEach
	void stopChildren() {
		this.children.forEach(ChildProcess::destroy);
	}

	@Test
	void killedBetweenAChangeSetsStatementsAndItsHistoryRow(TestInfo test) throws Exception {
		Path directory = outputDirectory(test);
		Path changeLog = writeChangeLog(directory);
		EndState clean = cleanRun(changeLog, null);
		TestDatabase db = TestDatabases.create();
		commands(db, changeLog).update(UpdateTarget.count(5));
		String paused = "8-c2";
		pauseHistory(db, "INSERT", "NEW", paused);

		ChildProcess a = start(directory, "a", db, changeLog);
		assertThat(a.await(() -> db.count(PAUSED_RUN) == 1, Duration.ofSeconds(300)))
			.as("A pauses while writing the history row of %s%s", paused, a.output())
			.isTrue();
		boolean columnVisible = columnExists(db, "t8", "c2");
		long rowsRecorded = db.count("SELECT count(*) FROM databasechangelog WHERE id = '" + paused + "'");
		System.out.printf("[atomic apply] paused before the history row of %s: its column visible to another "
				+ "session: %s, its row recorded: %s%n", paused, columnVisible, rowsRecorded == 1);
		assertThat(columnVisible).as("the statements of %s are committed before its history row", paused).isFalse();

		killAndWait(a);
		unpauseHistory(db);
		assertConsistent(db);
		assertNoDrift(db, changeLog, "after the kill");
		ChildProcess b = start(directory, "b", db, changeLog);
		assertThat(b.awaitExit(Duration.ofSeconds(300))).as("exit code of the restart%s", b.output()).isEqualTo(0);
		clean.assertSameAs(db, "after the restart");
		assertDriftClean(db, changeLog, "after the restart");
	}

	@Test
	void killedAtRandomMomentsThenRestarted(TestInfo test) throws Exception {
		Path directory = outputDirectory(test);
		Path changeLog = writeChangeLog(directory);
		EndState clean = cleanRun(changeLog, null);
		TestDatabase db = TestDatabases.create();
		// A first release, so that drift has a record to compare with after each kill.
		commands(db, changeLog).update(UpdateTarget.count(10));
		assertDriftClean(db, changeLog, "after the first release");
		long seed = System.nanoTime();
		Random random = new Random(seed);
		List<String> problems = new ArrayList<>();
		int kills = 0;
		long total = clean.history().size();
		for (int attempt = 1; attempt <= 9 && kills < 6; attempt++) {
			long before = historyCount(db);
			if (before >= total) {
				break;
			}
			// Kill while changesets are being applied, whatever the machine's speed: after a random number of the
			// remaining ones (never near the end), then at a random moment within the next few changesets.
			long target = before + 1 + random.nextInt((int) Math.max(1, (total - before - 20) / 3));
			ChildProcess run = start(directory, "run-" + attempt, db, changeLog);
			boolean progressed = run.await(() -> historyCount(db) >= target, Duration.ofSeconds(300));
			if (!progressed) {
				Integer exit = run.awaitExit(Duration.ofSeconds(30));
				problems.add("start " + attempt + " (after " + kills + " kill(s)) did not reach " + target
						+ " recorded changesets, exit " + exit + ": " + run.lineContaining(LockstepTestApp.FAILED));
				break;
			}
			ChildProcess.sleep(random.nextInt(25));
			if (!run.isAlive()) {
				assertThat(run.awaitExit(Duration.ofSeconds(30))).as("exit of %s%s", run, run.output()).isEqualTo(0);
				break;
			}
			killAndWait(run);
			kills++;
			long recorded = historyCount(db);
			List<String> mismatch = inconsistencies(db);
			System.out.printf("[atomic random] seed %d, kill %d: %d changesets recorded before the start, %d after the "
					+ "kill; applied but not recorded (or the reverse): %s%n", seed, kills, before, recorded, mismatch);
			if (!mismatch.isEmpty()) {
				problems.add("kill " + kills + " left " + mismatch);
			}
			assertNoDrift(db, changeLog, "after kill " + kills);
		}
		ChildProcess last = start(directory, "last", db, changeLog);
		Integer exit = last.awaitExit(Duration.ofSeconds(300));
		if (exit == null || exit != 0) {
			problems.add("the final start failed: " + last.lineContaining(LockstepTestApp.FAILED));
		}
		assertThat(problems).as("after %d kill(s) (seed %d)", kills, seed).isEmpty();
		assertThat(kills).as("kills that landed while changesets were applied").isGreaterThanOrEqualTo(4);
		clean.assertSameAs(db, "after " + kills + " kills and restarts");
		// Clean, or a stale record when a kill came after the last history row and before the record (the final
		// start then had nothing to apply, and only a run that changes the schema records again).
		assertNoDrift(db, changeLog, "after " + kills + " kills and restarts");
	}

	@Test
	void rollbackKilledBetweenAChangeSetsUndoAndTheDeletionOfItsRow(TestInfo test) throws Exception {
		Path directory = outputDirectory(test);
		Path changeLog = writeChangeLog(directory);
		int kept = 280;
		EndState clean = cleanRun(changeLog, kept);
		TestDatabase db = TestDatabases.create();
		commands(db, changeLog).update(UpdateTarget.count(kept));
		commands(db, changeLog).tag("before-rollback");
		commands(db, changeLog).update(UpdateTarget.ALL);
		String paused = "58-c2";
		pauseHistory(db, "DELETE", "OLD", paused);

		ChildProcess a = start(directory, "rollback-a", db, changeLog, "migrations", "rollback",
				"--to-tag=before-rollback");
		assertThat(a.await(() -> db.count(PAUSED_RUN) == 1, Duration.ofSeconds(300)))
			.as("A pauses while deleting the history row of %s%s", paused, a.output())
			.isTrue();
		boolean columnStillThere = columnExists(db, "t58", "c2");
		System.out.printf("[atomic rollback] paused before deleting the history row of %s: its column still there "
				+ "for another session: %s%n", paused, columnStillThere);
		assertThat(columnStillThere).as("the undo of %s is committed before its row is deleted", paused).isTrue();

		killAndWait(a);
		unpauseHistory(db);
		assertConsistent(db);
		assertNoDrift(db, changeLog, "after the killed rollback");
		ChildProcess b = start(directory, "rollback-b", db, changeLog, "migrations", "rollback",
				"--to-tag=before-rollback");
		assertThat(b.awaitExit(Duration.ofSeconds(300))).as("exit code of the repeated rollback%s", b.output())
			.isEqualTo(0);
		clean.assertSameAs(db, "after the repeated rollback");
		assertDriftClean(db, changeLog, "after the repeated rollback");
	}

	// --- helpers ------------------------------------------------------------------------------------------------

	/** A run killed half-way is never drift: what it committed is in the history, the record is only stale. */
	private static void assertNoDrift(TestDatabase db, Path changeLog, String when) {
		DriftReport report = engine(db, changeLog).checkDrift();
		System.out.printf("[atomic drift] %s: %s%n", when, report.state());
		assertThat(report.objects()).as("drift objects %s", when).isEmpty();
		assertThat(report.state()).as("drift %s: %s", when, report).isNotEqualTo(DriftState.DRIFT);
	}

	private static void assertDriftClean(TestDatabase db, Path changeLog, String when) {
		DriftReport report = engine(db, changeLog).checkDrift();
		assertThat(report.objects()).as("drift objects %s", when).isEmpty();
		assertThat(report.state()).as("drift %s: %s", when, report).isEqualTo(DriftState.CLEAN);
	}

	/** The history and schema of a clean run on a fresh database (the first {@code count} changesets, tagged). */
	private static EndState cleanRun(Path changeLog, Integer count) throws SQLException {
		TestDatabase db = TestDatabases.create();
		if (count == null) {
			engine(db, changeLog).apply();
		}
		else {
			commands(db, changeLog).update(UpdateTarget.count(count));
			commands(db, changeLog).tag("before-rollback");
		}
		return EndState.of(db);
	}

	record EndState(List<List<String>> history, List<String> schema) {

		static EndState of(TestDatabase db) throws SQLException {
			try (Connection connection = db.connect()) {
				return new EndState(db.rows(HISTORY), CatalogDump.dump(connection, "public"));
			}
		}

		void assertSameAs(TestDatabase db, String when) throws SQLException {
			EndState actual = of(db);
			assertThat(actual.history()).as("history rows %s (id, author, filename, md5sum, exectype in order)", when)
				.isEqualTo(this.history);
			assertThat(actual.schema()).as("schema %s", when).containsExactlyElementsOf(this.schema);
		}

	}

	/** Every changeset recorded has its object, and every object has its changeset recorded. */
	private static void assertConsistent(TestDatabase db) {
		assertThat(inconsistencies(db)).as("changesets applied but not recorded, or recorded but not applied")
			.isEmpty();
	}

	private static List<String> inconsistencies(TestDatabase db) {
		Set<String> recorded = new HashSet<>();
		if (db.tableExists("databasechangelog")) {
			db.rows("SELECT id FROM databasechangelog").forEach((row) -> recorded.add(row.get(0)));
		}
		Set<String> applied = new HashSet<>();
		db.rows("SELECT table_name, column_name FROM information_schema.columns WHERE table_schema = 'public' "
				+ "AND table_name ~ '^t[0-9]+$'").forEach((row) -> {
					String table = row.get(0).substring(1);
					String column = row.get(1);
					applied.add(column.equals("id") ? table + "-create" : table + "-" + column);
				});
		List<String> problems = new ArrayList<>();
		applied.stream().filter((id) -> !recorded.contains(id)).sorted().forEach((id) -> problems.add(id + " applied, not recorded"));
		recorded.stream().filter((id) -> !applied.contains(id)).sorted().forEach((id) -> problems.add(id + " recorded, not applied"));
		return problems;
	}

	private static boolean columnExists(TestDatabase db, String table, String column) {
		return db.count("SELECT count(*) FROM information_schema.columns WHERE table_schema = 'public' AND table_name = '"
				+ table + "' AND column_name = '" + column + "'") == 1;
	}

	private static long historyCount(TestDatabase db) {
		return db.tableExists("databasechangelog") ? db.count("SELECT count(*) FROM databasechangelog") : 0;
	}

	/** Makes the run's session sleep while it writes (or deletes) the history row of one changeset. */
	private static void pauseHistory(TestDatabase db, String operation, String row, String id) {
		db.execute("""
				CREATE FUNCTION lockstep_test_pause() RETURNS trigger LANGUAGE plpgsql AS $$
				BEGIN
				  PERFORM pg_sleep(300);
				  RETURN %s;
				END $$""".formatted(row));
		db.execute("CREATE TRIGGER lockstep_test_pause BEFORE " + operation + " ON databasechangelog FOR EACH ROW "
				+ "WHEN (" + row + ".id = '" + id + "') EXECUTE FUNCTION lockstep_test_pause()");
	}

	private static void unpauseHistory(TestDatabase db) {
		// Waits for the killed run's session to end (it checks its client every second) and release its locks.
		db.execute("DROP TRIGGER lockstep_test_pause ON databasechangelog");
		db.execute("DROP FUNCTION lockstep_test_pause()");
	}

	private static MigrationEngine engine(TestDatabase db, Path changeLog) {
		return new MigrationEngine(db.dataSource(), new SpringResourceAccessor(new DefaultResourceLoader()),
				MigrationSettings.of(location(changeLog)));
	}

	private static MigrationCommands commands(TestDatabase db, Path changeLog) {
		return new MigrationCommands(engine(db, changeLog));
	}

	private static String location(Path changeLog) {
		return "file:" + changeLog.toAbsolutePath();
	}

	private ChildProcess start(Path directory, String name, TestDatabase db, Path changeLog, String... arguments) {
		List<String> all = new ArrayList<>(List.of(arguments));
		all.addAll(List.of(db.springArguments()));
		all.add("--migrations.change-log=" + location(changeLog));
		all.add("--spring.application.name=" + name);
		ChildProcess child = ChildProcess.start(directory, name, Map.of(), all);
		this.children.add(child);
		return child;
	}

	private static void killAndWait(ChildProcess process) {
		process.kill();
		assertThat(process.awaitExit(Duration.ofSeconds(10))).as("%s killed", process).isEqualTo(137);
	}

	private static Path outputDirectory(TestInfo test) throws IOException {
		Path directory = OUTPUT.resolve(test.getTestMethod().orElseThrow().getName());
		if (Files.exists(directory)) {
			try (var files = Files.walk(directory)) {
				files.sorted(java.util.Comparator.reverseOrder()).forEach((file) -> file.toFile().delete());
			}
		}
		Files.createDirectories(directory);
		return directory;
	}

	/** Per table: create it, then add four columns, one changeset each ({@value #TABLES} x 5 changesets). */
	private static Path writeChangeLog(Path directory) throws IOException {
		StringBuilder yaml = new StringBuilder("databaseChangeLog:\n");
		for (int t = 1; t <= TABLES; t++) {
			yaml.append("""
					  - changeSet:
					      id: %1$d-create
					      author: atomic
					      changes:
					        - createTable:
					            tableName: t%1$d
					            columns:
					              - column: {name: id, type: bigint}
					""".formatted(t));
			for (int c = 1; c <= COLUMNS; c++) {
				yaml.append("""
						  - changeSet:
						      id: %1$d-c%2$d
						      author: atomic
						      changes:
						        - addColumn:
						            tableName: t%1$d
						            columns:
						              - column: {name: c%2$d, type: varchar(64)}
						""".formatted(t, c));
			}
		}
		Path file = directory.resolve("atomic-changelog.yaml");
		Files.writeString(file, yaml);
		return file;
	}

}
