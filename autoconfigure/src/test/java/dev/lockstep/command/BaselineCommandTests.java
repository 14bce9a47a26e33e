package dev.lockstep.command;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;

import dev.lockstep.core.MigrationCommands;
import dev.lockstep.test.ChangeLogFile;
import dev.lockstep.test.RunningApp;
import dev.lockstep.test.TestDatabase;
import dev.lockstep.test.TestDatabases;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code migrations baseline} on real databases: refused on a history that has rows and for changesets whose tables
 * do not exist (one line on stderr, nothing written), done with {@code --force}, planned first, and its rows
 * recognisable in {@code migrations history} and {@code /actuator/migrations/history}.
 */
class BaselineCommandTests {

	@TempDir
	Path dir;

	@Test
	void refusedWhenTheHistoryAlreadyHasRows() {
		TestDatabase db = TestDatabases.create();
		ChangeLogFile changeLog = ChangeLogFile.in(this.dir).write(ChangeLogFile.CUSTOMERS);
		changeLog.applyTo(db);
		// A new release: its changeset must run, not be recorded as applied.
		changeLog.write(ChangeLogFile.CUSTOMERS, ChangeLogFile.ORDERS, ChangeLogFile.EMAIL);
		List<List<String>> history = history(db);

		Output baseline = execute(changeLog, db, "baseline");
		assertThat(baseline.exitCode()).isEqualTo(CommandExecutor.FAILED);
		assertThat(baseline.errorLine()).startsWith("migrations baseline: The history already has 1 changeset(s) "
				+ "(newest: 1-create-customers::ana (")
			.contains("would record the 2 changeset(s) listed as applied without running them. Nothing was changed.",
					"| What to do: Run them with 'migrations update'.", "'migrations baseline --force'");
		assertThat(baseline.stdout()).isEmpty();
		assertThat(history(db)).isEqualTo(history);
		assertThat(db.tableExists("orders")).isFalse();
	}

	@Test
	void refusedForChangesetsWhoseTablesDoNotExistNamingThem() {
		TestDatabase db = TestDatabases.create();
		// Startup code built customers (with email), never orders.
		db.execute("CREATE TABLE customers (id bigserial PRIMARY KEY, name varchar(200) NOT NULL, email varchar(320))");
		ChangeLogFile changeLog = ChangeLogFile.in(this.dir)
			.write(ChangeLogFile.CUSTOMERS, ChangeLogFile.ORDERS, ChangeLogFile.EMAIL);

		Output baseline = execute(changeLog, db, "baseline");
		assertThat(baseline.exitCode()).isEqualTo(CommandExecutor.FAILED);
		assertThat(baseline.errorLine()).startsWith("migrations baseline: Baseline would record changesets that "
				+ "create tables the database does not have")
			.contains("Nothing was changed. orders (created by changeset 2-create-orders::ana (")
			.doesNotContain("customers (created");
		assertThat(db.tableExists("databasechangelog")).as("nothing written, not even the history table").isFalse();

		Output dryRun = execute(changeLog, db, "baseline", "--dry-run");
		assertThat(dryRun.exitCode()).as("a dry run reports the refusal too").isEqualTo(CommandExecutor.FAILED);
		assertThat(db.tableExists("databasechangelog")).isFalse();
	}

	@Test
	void forcedBaselinePrintsItsPlanAndItsRowsAreRecognisable() {
		TestDatabase db = TestDatabases.create();
		db.execute("CREATE TABLE customers (id bigserial PRIMARY KEY, name varchar(200) NOT NULL, email varchar(320))");
		ChangeLogFile changeLog = ChangeLogFile.in(this.dir)
			.write(ChangeLogFile.CUSTOMERS, ChangeLogFile.ORDERS, ChangeLogFile.EMAIL);

		Output dryRun = execute(changeLog, db, "baseline", "--force", "--dry-run");
		assertThat(dryRun.exitCode()).isZero();
		assertThat(dryRun.stdout()).startsWith("Plan: record 3 changeset(s) as applied without running them, in "
				+ "this order:")
			.contains("1-create-customers", "2-create-orders", "3-add-email")
			.endsWith("Dry run: nothing was changed.\n");
		assertThat(db.tableExists("databasechangelog")).isFalse();

		Instant before = Instant.now().minusSeconds(1);
		Output forced = execute(changeLog, db, "baseline", "--force");
		assertThat(forced.exitCode()).as(forced.stderr()).isZero();
		assertThat(forced.stdout()).startsWith("Plan: record 3 changeset(s)")
			.endsWith("Baseline: recorded 3 changeset(s) as applied without running them.\n");
		assertThat(forced.stdout().indexOf("Plan:")).isLessThan(forced.stdout().indexOf("Baseline: recorded"));
		assertThat(db.rows("SELECT id, exectype, comments FROM databasechangelog ORDER BY orderexecuted"))
			.containsExactly(List.of("1-create-customers", "MARK_RAN", "lockstep:baseline "),
					List.of("2-create-orders", "MARK_RAN", "lockstep:baseline "),
					List.of("3-add-email", "MARK_RAN", "lockstep:baseline "));
		assertThat(db.tableExists("orders")).as("nothing ran").isFalse();

		Output history = execute(changeLog, db, "history");
		assertThat(history.stdout()).contains("TYPE").contains("BASELINE").doesNotContain("MARK_RAN");
		Output json = execute(changeLog, db, "history", "--format=json");
		JsonNode rows = RunningApp.parse(json.stdout());
		assertThat(rows).hasSize(3);
		rows.forEach((row) -> assertThat(row.path("baselined").asBoolean()).isTrue());

		// A MARK_RAN row of a normal run (a precondition's onFail) is not taken for a baselined one.
		db.execute("UPDATE databasechangelog SET comments = '' WHERE id = '3-add-email'");
		try (RunningApp app = RunningApp.start(db, changeLog.property())) {
			JsonNode changeSets = app.json("/actuator/migrations/history").path("changeSets");
			assertThat(changeSets).hasSize(3);
			assertThat(changeSets.get(0).path("id").asString()).isEqualTo("3-add-email");
			assertThat(changeSets.get(0).path("baselined").asBoolean()).isFalse();
			assertThat(changeSets.get(1).path("baselined").asBoolean()).isTrue();
			assertThat(changeSets.get(1).path("execType").asString()).isEqualTo("MARK_RAN");
			assertThat(changeSets.get(2).path("baselined").asBoolean()).isTrue();
			Instant appliedAt = Instant.parse(changeSets.get(2).path("appliedAt").asString());
			assertThat(appliedAt).isBetween(before, Instant.now().plusSeconds(1));
		}
	}

	@Test
	void baselineOnAnEmptyHistoryWhoseTablesExistIsAllowed() {
		TestDatabase db = TestDatabases.create();
		db.execute("CREATE TABLE customers (id bigserial PRIMARY KEY, name varchar(200) NOT NULL, email varchar(320))");
		db.execute("CREATE TABLE orders (id bigserial PRIMARY KEY, customer_id bigint NOT NULL)");
		ChangeLogFile changeLog = ChangeLogFile.in(this.dir)
			.write(ChangeLogFile.CUSTOMERS, ChangeLogFile.ORDERS, ChangeLogFile.EMAIL);

		Output baseline = execute(changeLog, db, "baseline");
		assertThat(baseline.exitCode()).as(baseline.stderr()).isZero();
		assertThat(baseline.stdout()).contains("Baseline: recorded 3 changeset(s)");
		assertThat(db.count("SELECT count(*) FROM databasechangelog WHERE comments LIKE 'lockstep:baseline%'"))
			.isEqualTo(3);
	}

	private static List<List<String>> history(TestDatabase db) {
		return db.rows("SELECT id, exectype, dateexecuted::text FROM databasechangelog ORDER BY orderexecuted");
	}

	static Output execute(ChangeLogFile changeLog, TestDatabase db, String... args) {
		ByteArrayOutputStream out = new ByteArrayOutputStream();
		ByteArrayOutputStream err = new ByteArrayOutputStream();
		CommandExecutor executor = new CommandExecutor(new MigrationCommands(changeLog.engine(db)),
				changeLog.location(), new PrintStream(out, true, StandardCharsets.UTF_8),
				new PrintStream(err, true, StandardCharsets.UTF_8));
		List<String> arguments = new java.util.ArrayList<>(List.of("migrations"));
		arguments.addAll(List.of(args));
		int exitCode = executor.execute(arguments);
		return new Output(exitCode, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
	}

	record Output(int exitCode, String stdout, String stderr) {

		String errorLine() {
			assertThat(this.stderr.lines()).as("stderr: one line").hasSize(1);
			return this.stderr.strip();
		}

	}

}
