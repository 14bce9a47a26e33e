package dev.lockstep.sample;

import java.io.IOException;
import java.net.ServerSocket;
import java.nio.file.Path;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import dev.lockstep.sample.Catalog.State;
import dev.lockstep.sample.SampleJar.Run;
import dev.lockstep.test.TestDatabase;
import dev.lockstep.test.TestDatabases;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code java -jar app.jar migrations <command>} on the packaged sample, one JVM per command, against a real
 * PostgreSQL: output, exit code and the database afterwards.
 */
class MigrationsCommandsIT {

	private static final String CUSTOMERS = "2024-01-create-customers";

	private static final String ORDERS = "2024-01-create-orders";

	private static final String TAG_V1_0_0 = "2024-01-tag-v1.0.0";

	private static final String EMAIL = "2024-06-add-email";

	private static final String RELEASE_1_0 = "db/changelog/releases/v1.0.0.yaml";

	@TempDir
	Path workingDirectory;

	@Test
	void commandsOnAnEmptyDatabaseChangeNothingStartNoServerAndRunNoRunners() throws IOException {
		TestDatabase database = TestDatabases.create();
		Catalog catalog = new Catalog(database);
		SampleJar jar = new SampleJar(this.workingDirectory);
		try (ServerSocket taken = new ServerSocket(0)) {
			// The port is held by this test: a web server starting on it would fail the command.
			Run status = jar.migrations(database, "status", "--server.port=" + taken.getLocalPort()).exits(0);
			status.print();
			assertThat(status.stdout()).contains("State       PENDING", "Current     none: empty history",
					"Pending: 4", CUSTOMERS, EMAIL)
				.doesNotContain("Tomcat", "Started SampleApplication");
			assertAligned(status.stdout(), "  #  ID");
		}
		// The startup run did not happen: not even the history tables exist.
		catalog.assertNoHistoryTables();
		assertThat(catalog.schema()).isEmpty();

		Run check = jar.migrations(database, "check").exits(1);
		check.print();
		assertThat(check.stdout()).contains("NOT UP TO DATE (PENDING)", "run 'migrations update'");

		Run history = jar.migrations(database, "history").exits(0);
		assertThat(history.stdout()).contains("Applied changesets, newest first: 0");

		Run sql = jar.migrations(database, "sql").exits(0);
		assertThat(sql.stdout()).startsWith("-- Lockstep: SQL of 4 pending changeset(s)")
			.contains("CREATE TABLE public.customers (", "CREATE TABLE public.orders (",
					"CONSTRAINT fk_orders_customer FOREIGN KEY (customer_id) REFERENCES public.customers(id)",
					"ALTER TABLE public.customers ADD email VARCHAR(320);",
					"-- Changeset " + RELEASE_1_0 + "::" + CUSTOMERS + "::ana")
			.doesNotContain(" INFO ", " WARN ");
		assertThat(sql.stderr()).isBlank();
		catalog.assertNoHistoryTables();
		assertThat(catalog.schema()).isEmpty();

		// Nothing to describe: an error, not a claim that a file was written.
		Path output = this.workingDirectory.resolve("existing.yaml");
		Run generate = jar.migrations(database, "generate-changelog", "--output=" + output).exits(3);
		assertThat(generate.errorLine()).startsWith("migrations generate-changelog: The database ")
			.contains("has no tables, views or other objects to describe", "nothing was written to " + output);
		assertThat(output).doesNotExist();
		catalog.assertNoHistoryTables();
	}

	/**
	 * Update by count, to a tag and in full; roll back by date, by count and by tag (each after its rollback-sql,
	 * whose DDL is exactly what the rollback then runs) and update again: the same schema and a consistent
	 * history every time.
	 */
	@Test
	void roundTripUpdateRollbackByDateCountAndTagUpdateAgain() throws Exception {
		TestDatabase database = TestDatabases.create();
		Catalog catalog = new Catalog(database);
		catalog.recordDdl();
		SampleJar jar = new SampleJar(this.workingDirectory);

		Run first = jar.migrations(database, "update", "--count=1").exits(0);
		assertThat(first.stdout()).contains("[1/1] changeset " + CUSTOMERS + "::ana", "Applied 1 changeset(s)");
		assertThat(catalog.historyIds()).containsExactly(CUSTOMERS);
		assertThat(database.tableExists("customers")).isTrue();
		assertThat(database.tableExists("orders")).isFalse();

		Run toTag = jar.migrations(database, "update", "--to-tag=v1.0.0").exits(0);
		assertThat(toTag.stdout()).contains("Applied 2 changeset(s)");
		assertThat(catalog.historyIds()).containsExactly(CUSTOMERS, ORDERS, TAG_V1_0_0);
		assertThat(catalog.historyRow(TAG_V1_0_0).tag()).isEqualTo("v1.0.0");
		assertThat(columns(database, "customers")).containsExactly("id", "name");

		Run all = jar.migrations(database, "update").exits(0);
		assertThat(all.stdout()).contains("[1/1] changeset " + EMAIL + "::ana", "Applied 1 changeset(s)");
		assertThat(catalog.historyIds()).containsExactly(CUSTOMERS, ORDERS, TAG_V1_0_0, EMAIL);
		// migrations.tag (application.yaml) tags the database after a full update.
		assertThat(catalog.historyRow(EMAIL).tag()).isEqualTo("v1.1.0");
		assertThat(columns(database, "customers")).containsExactly("id", "name", "email");
		List<String> head = catalog.schema();
		assertThat(head).contains("table customers kind=r", "table orders kind=r",
				"constraint orders.fk_orders_customer FOREIGN KEY (customer_id) REFERENCES customers(id)",
				"column customers.email #3 character varying(320) nullable=YES default=none identity=NO");
		assertThat(catalog.takeApplicationDdl()).hasSize(3);

		readableOutputAtHead(jar, database);

		// Back to a moment between the first and the second update: undoes orders, the v1.0.0 tag and email.
		Instant firstRun = catalog.historyRow(CUSTOMERS).executedAt();
		Instant secondRun = catalog.historyRow(ORDERS).executedAt();
		assertThat(secondRun).isAfter(firstRun.plusMillis(2));
		Instant between = firstRun.plus(ChronoUnit.MILLIS.between(firstRun, secondRun) / 2, ChronoUnit.MILLIS);
		List<String> undone = rollbackAsPreviewed(jar, catalog, "--to-date=" + between);
		assertThat(undone).containsExactly("ALTER TABLE public.customers DROP COLUMN email",
				"DROP TABLE public.orders");
		assertThat(catalog.historyIds()).containsExactly(CUSTOMERS);
		assertThat(database.tableExists("orders")).isFalse();
		updateBackToHead(jar, catalog, head);

		undone = rollbackAsPreviewed(jar, catalog, "--count=2");
		assertThat(undone).containsExactly("ALTER TABLE public.customers DROP COLUMN email");
		assertThat(catalog.historyIds()).containsExactly(CUSTOMERS, ORDERS);
		updateBackToHead(jar, catalog, head);

		// Liquibase undoes the tagDatabase changeset that set the tag too; update applies it (and the tag) again.
		Run byTag = jar.migrations(database, "rollback-sql", "--to-tag=v1.0.0").exits(0);
		assertThat(byTag.stdout()).contains("-- Rolling Back ChangeSet: " + RELEASE_1_0 + "::" + TAG_V1_0_0 + "::ana");
		State beforeTagRollback = catalog.state();
		List<String> previewed = Catalog.applicationDdl(Catalog.statementsOf(byTag.stdout()));
		assertThat(catalog.state()).isEqualTo(beforeTagRollback);
		Run rollback = jar.migrations(database, "rollback", "--to-tag=v1.0.0").exits(0);
		assertThat(rollback.stdout()).contains("Rolled back 2 changeset(s) (back to tag v1.0.0)", EMAIL, TAG_V1_0_0,
				"The tagDatabase changeset that set v1.0.0 was undone too");
		assertThat(catalog.takeApplicationDdl()).isEqualTo(previewed)
			.containsExactly("ALTER TABLE public.customers DROP COLUMN email");
		assertThat(catalog.historyIds()).containsExactly(CUSTOMERS, ORDERS);
		updateBackToHead(jar, catalog, head);

		// A consistent history: each changeset once, in changelog order, tags where the releases put them.
		List<Catalog.Row> history = catalog.history();
		assertThat(history).extracting(Catalog.Row::id).containsExactly(CUSTOMERS, ORDERS, TAG_V1_0_0, EMAIL);
		assertThat(history).extracting(Catalog.Row::orderExecuted).isSorted().doesNotHaveDuplicates();
		assertThat(history).extracting(Catalog.Row::tag).containsExactly(null, null, "v1.0.0", "v1.1.0");
		assertThat(history).extracting(Catalog.Row::execType).containsOnly("EXECUTED");

		Run tag = jar.migrations(database, "tag", "--name=hotfix-7").exits(0);
		assertThat(tag.stdout()).contains("Tagged the current state as hotfix-7.");
		assertThat(catalog.historyRow(EMAIL).tag()).isEqualTo("hotfix-7");
		jar.migrations(database, "check").exits(0);
		assertThat(catalog.schema()).isEqualTo(head);
	}

	private void readableOutputAtHead(SampleJar jar, TestDatabase database) {
		Run status = jar.migrations(database, "status").exits(0);
		status.print();
		assertThat(status.stdout()).contains("State       UP_TO_DATE", "Tag         v1.1.0", "Applied     4",
				"Current     " + EMAIL + "::ana", "Lock        free", "Pending: 0");

		Run check = jar.migrations(database, "check").exits(0);
		check.print();
		assertThat(check.stdout()).contains("OK: the schema matches the changelog.");

		Run history = jar.migrations(database, "history").exits(0);
		history.print();
		List<String> rows = assertAligned(history.stdout(), "  #  ID");
		assertThat(rows).hasSize(5);
		assertThat(rows.get(1)).contains(EMAIL).contains("v1.1.0");
		assertThat(rows.get(2)).contains(TAG_V1_0_0).contains("v1.0.0");
		assertThat(rows.get(4)).contains(CUSTOMERS);

		Run json = jar.migrations(database, "history", "--format=json").exits(0);
		JsonNode applied = JsonMapper.builder().build().readTree(json.stdout());
		assertThat(applied.isArray()).isTrue();
		assertThat(applied.size()).isEqualTo(4);
		assertThat(applied.get(0).get("id").asString()).isEqualTo(EMAIL);
		assertThat(applied.get(0).get("tag").asString()).isEqualTo("v1.1.0");
		assertThat(applied.get(0).get("orderExecuted").asInt()).isEqualTo(4);
		assertThat(applied.get(3).get("id").asString()).isEqualTo(CUSTOMERS);
		assertThat(applied.get(3).get("changeLog").asString()).isEqualTo(RELEASE_1_0);
	}

	/**
	 * Runs rollback-sql (which must change nothing), then the rollback, and checks that the DDL the rollback ran
	 * is exactly the DDL rollback-sql showed.
	 * @return that DDL
	 */
	private List<String> rollbackAsPreviewed(SampleJar jar, Catalog catalog, String target) {
		catalog.takeDdl();
		State before = catalog.state();
		Run preview = jar.migrations(catalog.database(), "rollback-sql", target).exits(0);
		assertThat(catalog.state()).as("rollback-sql changes nothing").isEqualTo(before);
		assertThat(catalog.takeDdl()).as("DDL run by rollback-sql").isEmpty();
		List<String> previewed = Catalog.applicationDdl(Catalog.statementsOf(preview.stdout()));
		assertThat(previewed).isNotEmpty();

		Run rollback = jar.migrations(catalog.database(), "rollback", target).exits(0);
		assertThat(rollback.stdout()).contains("Rolled back ");
		assertThat(catalog.takeApplicationDdl()).as("DDL run by rollback %s", target).isEqualTo(previewed);
		return previewed;
	}

	private void updateBackToHead(SampleJar jar, Catalog catalog, List<String> head) {
		jar.migrations(catalog.database(), "update").exits(0);
		assertThat(catalog.schema()).isEqualTo(head);
		catalog.takeDdl();
	}

	@Test
	void theApplicationsProfilesApply() {
		// application-prod.yaml: validate mode, and migrations.url from MIGRATIONS_URL (separate DDL credentials).
		TestDatabase migrationsDatabase = TestDatabases.create();
		TestDatabase applicationDatabase = TestDatabases.create();
		SampleJar jar = new SampleJar(this.workingDirectory);
		Map<String, String> environment = Map.of("MIGRATIONS_URL", migrationsDatabase.url());

		Run update = jar.migrations(applicationDatabase, environment, "update", "--spring.profiles.active=prod")
			.exits(0);
		assertThat(update.stdout()).contains("Applied 4 changeset(s)");
		assertThat(new Catalog(migrationsDatabase).historyIds()).hasSize(4);
		assertThat(migrationsDatabase.tableExists("customers")).isTrue();
		// The prod profile's migrations.url was used, not spring.datasource.url.
		assertThat(new Catalog(applicationDatabase).hasHistoryTables()).isFalse();
		assertThat(applicationDatabase.tableExists("customers")).isFalse();

		Run check = jar.migrations(applicationDatabase, environment, "check", "--spring.profiles.active=prod")
			.exits(0);
		assertThat(check.stdout()).contains("State       UP_TO_DATE");
	}

	@Test
	void helpAndUsageErrorsListTheCommands() {
		TestDatabase database = TestDatabases.create();
		SampleJar jar = new SampleJar(this.workingDirectory);
		List<String> commands = List.of("status", "check", "history", "update", "sql", "rollback", "rollback-sql",
				"tag", "baseline", "generate-changelog", "help");

		Run help = jar.migrations(database, "help").exits(0);
		assertThat(help.stdout()).startsWith("Usage: java -jar app.jar migrations <command> [--option=value]");
		assertCommandsListed(help.stdout(), commands);

		Run unknown = jar.migrations(database, "frob").exits(2);
		assertThat(unknown.stderr()).startsWith("migrations: Unknown command 'frob'.");
		assertCommandsListed(unknown.stderr(), commands);

		Run unknownOption = jar.migrations(database, "status", "--bogus=1").exits(2);
		assertThat(unknownOption.stderr())
			.startsWith("migrations: Unknown option --bogus for 'migrations status'. Its options: --format.");
		assertCommandsListed(unknownOption.stderr(), commands);

		Run noTarget = jar.migrations(database, "rollback").exits(2);
		assertThat(noTarget.errorLine()).isEqualTo("migrations rollback: Give exactly one of --count, --to-tag or "
				+ "--to-date");
		new Catalog(database).assertNoHistoryTables();
	}

	private static void assertCommandsListed(String text, List<String> commands) {
		for (String command : commands) {
			assertThat(text).containsPattern("(?m)^  " + command + " +\\S");
		}
	}

	/**
	 * Asserts that the table starting at the header line is aligned: every column starts at the same position in
	 * every row.
	 * @return the header and the rows
	 */
	static List<String> assertAligned(String output, String headerStart) {
		List<String> lines = output.lines().toList();
		int start = -1;
		for (int i = 0; i < lines.size() && start < 0; i++) {
			if (lines.get(i).startsWith(headerStart)) {
				start = i;
			}
		}
		assertThat(start).as("table header '%s' in%n%s", headerStart, output).isNotNegative();
		int end = start + 1;
		while (end < lines.size() && lines.get(end).startsWith("  ") && !lines.get(end).isBlank()) {
			end++;
		}
		List<String> table = lines.subList(start, end);
		String header = table.get(0);
		java.util.regex.Matcher columns = java.util.regex.Pattern.compile("(?<=\\s{2})\\S").matcher(header);
		List<Integer> starts = new java.util.ArrayList<>();
		while (columns.find()) {
			starts.add(columns.start());
		}
		assertThat(starts).as("columns of '%s'", header).hasSizeGreaterThan(2);
		for (String row : table.subList(1, table.size())) {
			for (int position : starts) {
				if (position < row.length()) {
					// Each value starts exactly under its header, after at least two spaces.
					assertThat(row.substring(position - 2, position + 1)).as("column at %d in%n%s%n%s", position,
							header, row)
						.matches("  \\S");
				}
			}
		}
		return table;
	}

	private static List<String> columns(TestDatabase database, String table) {
		return database
			.rows("SELECT column_name FROM information_schema.columns WHERE table_schema = 'public' AND table_name = '"
					+ table + "' ORDER BY ordinal_position")
			.stream()
			.map((row) -> row.get(0))
			.toList();
	}

}
