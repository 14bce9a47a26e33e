package dev.lockstep.command;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;

import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.context.ConfigurableApplicationContext;

import dev.lockstep.core.MigrationCommands;
import dev.lockstep.core.MigrationEngine;
import dev.lockstep.core.problem.LintRefusedException;
import dev.lockstep.test.ChangeLogFile;
import dev.lockstep.test.RunningApp;
import dev.lockstep.test.TestDatabase;
import dev.lockstep.test.TestDatabases;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Where lint findings show, on a real application and database whose tables have rows ({@code orders} large,
 * {@code customers} small): {@code migrations lint} (exit codes, table, JSON), {@code check} and {@code sql},
 * {@code /actuator/migrations/pending} over HTTP, and a startup apply that logs them and obeys
 * {@code migrations.lint.fail-on}.
 */
@ExtendWith(OutputCaptureExtension.class)
class LintSurfacesTests {

	private static final String INDEX_ORDERS = """
			  - changeSet:
			      id: 4-index-orders
			      author: ana
			      changes:
			        - createIndex:
			            tableName: orders
			            indexName: orders_customer_idx
			            columns:
			              - column: {name: customer_id}
			""";

	private static final String INDEX_ORDERS_ALLOWED = INDEX_ORDERS.replace("      author: ana\n",
			"      author: ana\n      comment: 'lockstep:allow index-not-concurrent -- built in the maintenance window'\n");

	private static final String INDEX_CUSTOMERS = """
			  - changeSet:
			      id: 5-index-customers
			      author: ana
			      changes:
			        - createIndex:
			            tableName: customers
			            indexName: customers_name_idx
			            columns:
			              - column: {name: name}
			""";

	@TempDir
	Path dir;

	/** A database with customers (20 rows) and orders (120,000 rows) applied, and the given changesets pending. */
	private ChangeLogFile withRows(TestDatabase db, String... pending) {
		ChangeLogFile changeLog = ChangeLogFile.in(this.dir).write(ChangeLogFile.CUSTOMERS, ChangeLogFile.ORDERS);
		changeLog.applyTo(db);
		db.execute("INSERT INTO customers (name) SELECT 'c' || g FROM generate_series(1, 20) g");
		db.execute("INSERT INTO orders (customer_id) SELECT g % 20 + 1 FROM generate_series(1, 120000) g");
		db.execute("ANALYZE customers");
		db.execute("ANALYZE orders");
		List<String> all = new ArrayList<>(List.of(ChangeLogFile.CUSTOMERS, ChangeLogFile.ORDERS));
		all.addAll(List.of(pending));
		return changeLog.write(all.toArray(String[]::new));
	}

	@Test
	void lintCheckSqlAndThePendingEndpointShowTheFindings() {
		TestDatabase db = TestDatabases.create();
		ChangeLogFile changeLog = withRows(db, INDEX_ORDERS, INDEX_CUSTOMERS);
		try (RunningApp app = RunningApp.start(db, changeLog.property(), "migrations.mode=report")) {
			Command lint = Command.run(app, "lint");
			assertThat(lint.exitCode()).as(lint.err()).isEqualTo(CommandExecutor.LINT_ERRORS);
			assertThat(lint.out()).startsWith("Lint: 1 error(s), 1 warning(s) in 2 pending changeset(s)\n")
				.containsPattern("CHANGESET +RULE +SEVERITY +MESSAGE +FIX")
				.containsPattern("::4-index-orders::ana +index-not-concurrent +error +CREATE INDEX without "
						+ "CONCURRENTLY on (public\\.)?orders \\(~120000 rows\\)")
				.containsPattern("::5-index-customers::ana +index-not-concurrent +warning +CREATE INDEX without "
						+ "CONCURRENTLY on (public\\.)?customers \\(~20 rows\\)")
				.contains("FAILED: fix the error findings");

			Command json = Command.run(app, "lint", "--format=json");
			assertThat(json.exitCode()).isEqualTo(CommandExecutor.LINT_ERRORS);
			JsonNode report = RunningApp.parse(json.out());
			assertThat(report.propertyNames()).containsExactly("pending", "errors", "warnings", "findings");
			assertThat(report.path("pending").asInt()).isEqualTo(2);
			assertThat(report.path("errors").asInt()).isEqualTo(1);
			assertThat(report.path("warnings").asInt()).isEqualTo(1);
			JsonNode first = report.path("findings").get(0);
			assertThat(first.propertyNames()).containsExactly("id", "author", "changeLog", "rule", "severity",
					"message", "fix");
			assertThat(first.path("id").asString()).isEqualTo("4-index-orders");
			assertThat(first.path("rule").asString()).isEqualTo("index-not-concurrent");
			assertThat(first.path("severity").asString()).isEqualTo("error");
			assertThat(first.path("fix").asString()).startsWith("Use CREATE INDEX CONCURRENTLY");

			Command check = Command.run(app, "check");
			assertThat(check.exitCode()).isEqualTo(CommandExecutor.NOT_UP_TO_DATE);
			assertThat(check.out()).contains("Lint: 1 error(s), 1 warning(s) in 2 pending changeset(s)")
				.containsPattern("4-index-orders::ana +index-not-concurrent +error");

			Command sql = Command.run(app, "sql");
			assertThat(sql.exitCode()).as(sql.err()).isZero();
			assertThat(sql.out()).contains("-- Lint: 2 finding(s), 1 error(s)")
				.containsPattern("-- LINT error index-not-concurrent: CREATE INDEX without CONCURRENTLY on "
						+ "(public\\.)?orders")
				.contains("CREATE INDEX orders_customer_idx ON public.orders(customer_id);");

			JsonNode pending = app.json("/actuator/migrations/pending");
			JsonNode orders = pending.path("changeSets").get(0);
			assertThat(orders.path("id").asString()).isEqualTo("4-index-orders");
			JsonNode finding = orders.path("findings").get(0);
			assertThat(finding.propertyNames()).containsExactly("rule", "severity", "message", "fix");
			assertThat(finding.path("rule").asString()).isEqualTo("index-not-concurrent");
			assertThat(finding.path("severity").asString()).isEqualTo("error");
			assertThat(finding.path("message").asString()).contains("orders (~120000 rows)");
			assertThat(pending.path("changeSets").get(1).path("findings").get(0).path("severity").asString())
				.isEqualTo("warning");
		}
		assertThat(db.count("SELECT count(*) FROM databasechangelog")).as("nothing applied").isEqualTo(2);
	}

	@Test
	void aSuppressionWithAReasonPassesTheLintAndLargeTableRowsIsWired() {
		TestDatabase db = TestDatabases.create();
		ChangeLogFile changeLog = withRows(db, INDEX_ORDERS_ALLOWED, INDEX_CUSTOMERS);
		try (RunningApp app = RunningApp.start(db, changeLog.property(), "migrations.mode=report")) {
			Command lint = Command.run(app, "lint");
			assertThat(lint.exitCode()).as(lint.out()).isEqualTo(CommandExecutor.OK);
			assertThat(lint.out()).startsWith("Lint: 0 error(s), 1 warning(s) in 2 pending changeset(s)")
				.doesNotContain("4-index-orders");
			assertThat(app.json("/actuator/migrations/pending").path("changeSets").get(0).path("findings")).isEmpty();
		}
		try (RunningApp app = RunningApp.start(db, changeLog.property(), "migrations.mode=report",
				"migrations.lint.large-table-rows=10")) {
			Command lint = Command.run(app, "lint");
			assertThat(lint.exitCode()).isEqualTo(CommandExecutor.LINT_ERRORS);
			assertThat(lint.out()).startsWith("Lint: 1 error(s), 0 warning(s)");
		}
	}

	@Test
	void startupRefusesWithNothingAppliedWhenFindingsReachFailOn() {
		TestDatabase db = TestDatabases.create();
		ChangeLogFile changeLog = withRows(db, INDEX_ORDERS, INDEX_CUSTOMERS);

		Throwable refused = RunningApp.failToStart(db, changeLog.property(), "migrations.lint.fail-on=error");
		LintRefusedException refusal = cause(refused);
		assertThat(refusal.findings()).singleElement()
			.asString()
			.startsWith("error index-not-concurrent in ")
			.contains("4-index-orders::ana");
		assertThat(refusal.message(MigrationsWording.INSTANCE))
			.startsWith("Refusing to apply: 1 lint finding(s) reach migrations.lint.fail-on=error; nothing was "
					+ "applied");
		assertThat(refusal.action(MigrationsWording.INSTANCE)).contains("lockstep:allow <rule-id> -- <reason>")
			.contains("set migrations.lint.fail-on to never");
		assertThat(db.count("SELECT count(*) FROM databasechangelog")).isEqualTo(2);
		assertThat(db.count("SELECT count(*) FROM pg_indexes WHERE indexname LIKE '%_idx'")).isZero();

		changeLog = changeLog.write(ChangeLogFile.CUSTOMERS, ChangeLogFile.ORDERS, INDEX_CUSTOMERS);
		RunningApp.failToStart(db, changeLog.property(), "migrations.lint.fail-on=warning");
		assertThat(db.count("SELECT count(*) FROM databasechangelog")).isEqualTo(2);
		try (ConfigurableApplicationContext app = RunningApp.startInstance(db, changeLog.property(),
				"migrations.lint.fail-on=error")) {
			assertThat(db.count("SELECT count(*) FROM databasechangelog")).isEqualTo(3);
		}
	}

	@Test
	void byDefaultAnApplyLogsTheFindingsBeforeTheFirstChangesetAndRuns(CapturedOutput output) {
		TestDatabase db = TestDatabases.create();
		ChangeLogFile changeLog = withRows(db, INDEX_ORDERS, INDEX_CUSTOMERS);
		try (ConfigurableApplicationContext app = RunningApp.startInstance(db, changeLog.property())) {
			assertThat(db.count("SELECT count(*) FROM databasechangelog")).isEqualTo(4);
		}
		String log = output.getAll();
		int orders = log.indexOf("Lint error index-not-concurrent in ");
		int customers = log.indexOf("Lint warning index-not-concurrent in ");
		assertThat(orders).isNotNegative();
		assertThat(customers).isGreaterThan(orders);
		assertThat(log.substring(log.lastIndexOf('\n', orders) + 1, log.indexOf('\n', orders))).contains("WARN")
			.contains("4-index-orders::ana")
			.contains("; fix: Use CREATE INDEX CONCURRENTLY");
		assertThat(log.indexOf("[1/2] changeset 4-index-orders")).as("before the first changeset")
			.isGreaterThan(customers);
	}

	private static LintRefusedException cause(Throwable failure) {
		for (Throwable cause = failure; cause != null; cause = cause.getCause()) {
			if (cause instanceof LintRefusedException refusal) {
				return refusal;
			}
		}
		throw new AssertionError("not refused by the lint", failure);
	}

	private record Command(int exitCode, String out, String err) {

		static Command run(RunningApp app, String... args) {
			ByteArrayOutputStream out = new ByteArrayOutputStream();
			ByteArrayOutputStream err = new ByteArrayOutputStream();
			List<String> commandLine = new ArrayList<>(List.of("migrations"));
			commandLine.addAll(List.of(args));
			int code = new CommandExecutor(new MigrationCommands(app.bean(MigrationEngine.class)), "changelog",
					new PrintStream(out, true, StandardCharsets.UTF_8), new PrintStream(err, true, StandardCharsets.UTF_8))
				.execute(commandLine);
			return new Command(code, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
		}

	}

}
