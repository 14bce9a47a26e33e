package dev.lockstep.command;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;

import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.jdbc.autoconfigure.DataSourceAutoConfiguration;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;

import dev.lockstep.autoconfigure.MigrationsAutoConfiguration;
import dev.lockstep.autoconfigure.MigrationsCommandAutoConfiguration;
import dev.lockstep.command.BaselineCommandTests.Output;
import dev.lockstep.test.ChangeLogFile;
import dev.lockstep.test.RunningApp;
import dev.lockstep.test.TestDatabase;
import dev.lockstep.test.TestDatabases;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code migrations diff} on real databases: exit 0 when clean, 1 on drift, 3 with one line saying what to do
 * when there is nothing to compare with; the drift as a table and as the endpoint's JSON; {@code --against=changelog}
 * (also through the auto-configured engine, whose scratch database connections Spring Boot derives);
 * {@code --record} both ways, shown first; {@code --output} refusing to overwrite.
 */
class DiffCommandLineTests {

	@TempDir
	Path dir;

	private ChangeLogFile migrated(TestDatabase db) {
		ChangeLogFile changeLog = ChangeLogFile.in(this.dir).write(ChangeLogFile.CUSTOMERS, ChangeLogFile.ORDERS);
		changeLog.applyTo(db);
		return changeLog;
	}

	@Test
	void cleanExitsZeroAndDriftExitsOneWithATable() {
		TestDatabase db = TestDatabases.create();
		ChangeLogFile changeLog = migrated(db);

		Output clean = BaselineCommandTests.execute(changeLog, db, "diff");
		assertThat(clean.exitCode()).as(clean.stderr()).isEqualTo(CommandExecutor.OK);
		assertThat(clean.stdout()).startsWith("No drift: the live schema is what the migrations made (")
			.contains("objects compared, recorded at ");

		db.execute("CREATE INDEX orders_customer_idx ON orders (customer_id)");
		db.execute("ALTER TABLE customers ADD COLUMN note text");
		Output drift = BaselineCommandTests.execute(changeLog, db, "diff");
		assertThat(drift.exitCode()).isEqualTo(CommandExecutor.NOT_UP_TO_DATE);
		assertThat(drift.stderr()).isEmpty();
		assertThat(drift.stdout()).startsWith("Drift: 2 object(s) differ from what the migrations made (")
			.contains("TYPE", "NAME", "CHANGE", "EXPECTED", "ACTUAL")
			.containsPattern("column +customers\\.note +added +- +text null")
			.containsPattern("index +orders_customer_idx +added +- +CREATE INDEX orders_customer_idx ON public.orders");
	}

	@Test
	void jsonIsTheDriftEndpointsDocument() {
		TestDatabase db = TestDatabases.create();
		ChangeLogFile changeLog = migrated(db);
		db.execute("ALTER TABLE orders ADD COLUMN note text");

		Output json = BaselineCommandTests.execute(changeLog, db, "diff", "--format=json");

		assertThat(json.exitCode()).isEqualTo(CommandExecutor.NOT_UP_TO_DATE);
		JsonNode report = RunningApp.parse(json.stdout());
		assertThat(report.propertyNames()).containsExactly("state", "checkedAt", "recordedAt", "ignored", "objects");
		assertThat(report.path("state").asString()).isEqualTo("DRIFT");
		assertThat(report.path("recordedAt").isNull()).isFalse();
		assertThat(report.path("ignored").asInt()).isZero();
		assertThat(report.has("message")).as("an unknown message is left out").isFalse();
		JsonNode object = report.path("objects").get(0);
		assertThat(object.propertyNames()).containsExactly("type", "name", "change", "expected", "actual");
		assertThat(object.path("type").asString()).isEqualTo("column");
		assertThat(object.path("name").asString()).isEqualTo("orders.note");
		assertThat(object.path("change").asString()).isEqualTo("added");
		assertThat(object.path("expected").isNull()).isTrue();
		assertThat(object.path("actual").asString()).isEqualTo("text null");
	}

	@Test
	void withoutARecordOneLineSaysWhatToDoAndTheChangelogPathRecordsIt() throws Exception {
		TestDatabase db = TestDatabases.create();
		ChangeLogFile changeLog = migrated(db);
		db.execute("DROP TABLE lockstep_schema_record");
		db.execute("CREATE INDEX orders_customer_idx ON orders (customer_id)");

		Output noRecord = BaselineCommandTests.execute(changeLog, db, "diff");
		assertThat(noRecord.exitCode()).isEqualTo(CommandExecutor.FAILED);
		assertThat(noRecord.errorLine()).startsWith("migrations diff: There is no record of what the migrations made")
			.contains("| What to do: Compare with the changelog: 'migrations diff --against=changelog'");
		assertThat(noRecord.stdout()).isEmpty();

		Output json = BaselineCommandTests.execute(changeLog, db, "diff", "--format=json");
		assertThat(json.exitCode()).isEqualTo(CommandExecutor.FAILED);
		assertThat(RunningApp.parse(json.stdout()).path("state").asString()).isEqualTo("NO_RECORD");

		Output against = BaselineCommandTests.execute(changeLog, db, "diff", "--against=changelog");
		assertThat(against.exitCode()).as(against.stderr()).isEqualTo(CommandExecutor.NOT_UP_TO_DATE);
		assertThat(against.stdout()).startsWith("Drift: 1 object(s) differ from what the changelog makes (")
			.contains("built from the 2 applied changeset(s) in a scratch database")
			.containsPattern("index +orders_customer_idx +added");

		Path output = this.dir.resolve("adopt.sql");
		Output written = BaselineCommandTests.execute(changeLog, db, "diff", "--against=changelog",
				"--output=" + output);
		assertThat(written.exitCode()).as(written.stderr()).isEqualTo(CommandExecutor.NOT_UP_TO_DATE);
		assertThat(Files.readString(output)).contains("--changeset lockstep-diff:index-orders_customer_idx");

		Output dryRun = BaselineCommandTests.execute(changeLog, db, "diff", "--against=changelog", "--record",
				"--dry-run");
		assertThat(dryRun.stdout()).contains("Plan: record the schema the changelog makes (")
			.endsWith("Dry run: nothing was recorded.\n");
		assertThat(db.tableExists("lockstep_schema_record")).isFalse();

		Output record = BaselineCommandTests.execute(changeLog, db, "diff", "--against=changelog", "--record");
		assertThat(record.exitCode()).as("the drift stays").isEqualTo(CommandExecutor.NOT_UP_TO_DATE);
		assertThat(record.stdout()).contains("Recorded ");
		Output after = BaselineCommandTests.execute(changeLog, db, "diff");
		assertThat(after.exitCode()).isEqualTo(CommandExecutor.NOT_UP_TO_DATE);
		assertThat(after.stdout()).containsPattern("index +orders_customer_idx +added");

		Output accept = BaselineCommandTests.execute(changeLog, db, "diff", "--record");
		assertThat(accept.exitCode()).as(accept.stderr()).isEqualTo(CommandExecutor.OK);
		assertThat(accept.stdout().indexOf("Plan: accept the 1 object(s) above as what the migrations made"))
			.isGreaterThan(accept.stdout().indexOf("orders_customer_idx"))
			.isLessThan(accept.stdout().indexOf("Recorded the live schema"));
		assertThat(BaselineCommandTests.execute(changeLog, db, "diff").exitCode()).isEqualTo(CommandExecutor.OK);
	}

	@Test
	void outputWritesTheAdoptingChangelogAndNeverOverwrites() throws Exception {
		TestDatabase db = TestDatabases.create();
		ChangeLogFile changeLog = migrated(db);
		db.execute("CREATE INDEX orders_customer_idx ON orders (customer_id)");
		Path output = this.dir.resolve("adopt.sql");

		Output written = BaselineCommandTests.execute(changeLog, db, "diff", "--output=" + output);
		assertThat(written.exitCode()).as(written.stderr()).isEqualTo(CommandExecutor.NOT_UP_TO_DATE);
		assertThat(written.stdout()).contains("Wrote 1 changeset(s) that make the same changes as the drift to ");
		assertThat(Files.readString(output)).contains("--changeset lockstep-diff:index-orders_customer_idx",
				"CREATE INDEX IF NOT EXISTS orders_customer_idx ON public.orders USING btree (customer_id);");

		Output again = BaselineCommandTests.execute(changeLog, db, "diff", "--output=" + output);
		assertThat(again.exitCode()).isEqualTo(CommandExecutor.FAILED);
		assertThat(again.errorLine()).startsWith("migrations diff: " + output + " already exists.")
			.contains("Choose another --output file");
		assertThat(again.stdout()).isEmpty();

		Output usage = BaselineCommandTests.execute(changeLog, db, "diff", "--against=snapshot");
		assertThat(usage.exitCode()).isEqualTo(CommandExecutor.USAGE);
		assertThat(usage.errorLine()).contains("Unknown --against=snapshot");
	}

	@Test
	void theAutoConfiguredEngineConnectsToTheScratchDatabaseWithTheApplicationsSettings() {
		TestDatabase db = TestDatabases.create();
		ChangeLogFile changeLog = migrated(db);
		db.execute("DROP TABLE lockstep_schema_record");
		db.execute("ALTER TABLE customers ADD COLUMN note text");
		new ApplicationContextRunner()
			.withConfiguration(AutoConfigurations.of(DataSourceAutoConfiguration.class,
					MigrationsAutoConfiguration.class, MigrationsCommandAutoConfiguration.class))
			.withPropertyValues("lockstep.command=diff", changeLog.property(), "spring.datasource.url=" + db.url(),
					"spring.datasource.username=" + db.user(), "spring.datasource.password=" + db.password())
			.run((context) -> {
				ByteArrayOutputStream out = new ByteArrayOutputStream();
				ByteArrayOutputStream err = new ByteArrayOutputStream();
				int code = context.getBean(MigrationsCommandRunner.class)
					.execute(List.of("migrations", "diff", "--against=changelog"),
							new PrintStream(out, true, StandardCharsets.UTF_8),
							new PrintStream(err, true, StandardCharsets.UTF_8));
				assertThat(code).as(err.toString(StandardCharsets.UTF_8)).isEqualTo(CommandExecutor.NOT_UP_TO_DATE);
				assertThat(out.toString(StandardCharsets.UTF_8)).containsPattern("column +customers\\.note +added");
			});
		assertThat(db.count("SELECT count(*) FROM pg_database WHERE datname LIKE 'lockstep_scratch_%'")).isZero();
	}

}
