package dev.lockstep.sample;

import java.io.IOException;
import java.net.ServerSocket;
import java.nio.file.Path;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Arrays;
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

	private static final String TAG_V1_1_0 = "2024-06-tag-v1.1.0";

	private static final String STATUS = "2024-09-add-order-status";

	private static final String TAG_V1_2_0 = "2024-09-tag-v1.2.0";

	private static final String INDEX = "2024-11-index-orders-by-customer";

	private static final String TAG_V1_3_0 = "2024-11-tag-v1.3.0";

	private static final String FULL_NAME = "2025-02-add-customer-full-name";

	private static final String TAG_V1_4_0 = "2025-02-tag-v1.4.0";

	private static final String DROP_NAME = "2025-04-drop-customer-name";

	private static final String TAG_V1_5_0 = "2025-04-tag-v1.5.0";

	/** The whole history, in changelog order. */
	private static final List<String> ALL = List.of(CUSTOMERS, ORDERS, TAG_V1_0_0, EMAIL, TAG_V1_1_0, STATUS,
			TAG_V1_2_0, INDEX, TAG_V1_3_0, FULL_NAME, TAG_V1_4_0, DROP_NAME, TAG_V1_5_0);

	private static final String RELEASE_1_0 = "db/changelog/releases/v1.0.0.yaml";

	private static final String RELEASE_1_2 = "db/changelog/releases/v1.2.0.yaml";

	/** The DDL of releases 1.1.0 to 1.5.0, as Liquibase runs it. */
	static final List<String> DO_1_1_0_TO_1_5_0 = List.of("ALTER TABLE public.customers ADD email VARCHAR(320)",
			"ALTER TABLE public.orders ADD status VARCHAR(20)",
			"ALTER TABLE public.orders ALTER COLUMN status SET NOT NULL",
			"ALTER TABLE public.orders ALTER COLUMN status SET DEFAULT 'PLACED'",
			"CREATE INDEX CONCURRENTLY orders_customer_created_idx ON orders (customer_id, created_at DESC)",
			"ALTER TABLE public.customers ADD full_name VARCHAR(200)",
			"ALTER TABLE public.customers ALTER COLUMN full_name SET NOT NULL",
			"ALTER TABLE public.customers DROP COLUMN name");

	/** The DDL that rolls back release 1.5.0 (the contract half of the rename), as Liquibase runs it. */
	private static final List<String> UNDO_1_5_0 = List.of("ALTER TABLE public.customers ADD name VARCHAR(200)",
			"ALTER TABLE public.customers ALTER COLUMN name SET NOT NULL",
			"ALTER TABLE public.customers ALTER COLUMN full_name DROP NOT NULL");

	/** The DDL that rolls back releases 1.4.0 (expand) and 1.3.0 (the index, built concurrently). */
	private static final List<String> UNDO_1_4_0_AND_1_3_0 = List.of(
			"ALTER TABLE public.customers DROP COLUMN full_name", "DROP INDEX CONCURRENTLY orders_customer_created_idx");

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
					"Pending: 13", CUSTOMERS, DROP_NAME, TAG_V1_5_0)
				.doesNotContain("Tomcat", "Started SampleApplication");
			assertAligned(status.stdout(), "  #   ID");
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
		assertThat(sql.stdout()).startsWith("-- Lockstep: SQL of 13 pending changeset(s)")
			.contains("CREATE TABLE public.customers (", "CREATE TABLE public.orders (",
					"CONSTRAINT fk_orders_customer FOREIGN KEY (customer_id) REFERENCES public.customers(id)",
					"ALTER TABLE public.customers ADD email VARCHAR(320);",
					"UPDATE public.orders SET status = 'PLACED' WHERE status IS NULL;",
					"CREATE INDEX CONCURRENTLY orders_customer_created_idx ON orders (customer_id, created_at DESC);",
					"ALTER TABLE public.customers DROP COLUMN name;",
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
		// The progress counts what this update runs, not everything pending.
		assertThat(toTag.stdout()).contains("[1/2] changeset " + ORDERS + "::ana", "[2/2] changeset " + TAG_V1_0_0 + "::ana",
				"Applied 2 changeset(s)");
		assertThat(catalog.historyIds()).containsExactly(CUSTOMERS, ORDERS, TAG_V1_0_0);
		assertThat(catalog.historyRow(TAG_V1_0_0).tag()).isEqualTo("v1.0.0");
		assertThat(columns(database, "customers")).containsExactly("id", "name");

		Run all = jar.migrations(database, "update").exits(0);
		assertThat(all.stdout()).contains("[1/10] changeset " + EMAIL + "::ana",
				"[10/10] changeset " + TAG_V1_5_0 + "::ana", "Applied 10 changeset(s)");
		assertThat(catalog.historyIds()).containsExactlyElementsOf(ALL);
		assertThat(catalog.historyRow(TAG_V1_5_0).tag()).isEqualTo("v1.5.0");
		assertThat(columns(database, "customers")).containsExactly("id", "email", "full_name");
		assertThat(columns(database, "orders")).containsExactly("id", "customer_id", "total_cents", "created_at",
				"status");
		List<String> head = catalog.schema();
		assertThat(head).contains("table customers kind=r", "table orders kind=r",
				"constraint orders.fk_orders_customer FOREIGN KEY (customer_id) REFERENCES customers(id)",
				"column customers.email #2 character varying(320) nullable=YES default=none identity=NO",
				"column customers.full_name #3 character varying(200) nullable=NO default=none identity=NO",
				"column orders.status #5 character varying(20) nullable=NO "
						+ "default='PLACED'::character varying identity=NO",
				"index orders_customer_created_idx: CREATE INDEX orders_customer_created_idx ON public.orders "
						+ "USING btree (customer_id, created_at DESC)");
		List<String> applied = new java.util.ArrayList<>(List.of("CREATE TABLE public.customers (id BIGINT GENERATED "
				+ "BY DEFAULT AS IDENTITY NOT NULL, name VARCHAR(200) NOT NULL, CONSTRAINT customers_pkey PRIMARY KEY "
				+ "(id))", "CREATE TABLE public.orders (id BIGINT GENERATED BY DEFAULT AS IDENTITY NOT NULL, "
						+ "customer_id BIGINT NOT NULL, total_cents BIGINT NOT NULL, created_at TIMESTAMP with time "
						+ "zone DEFAULT NOW() NOT NULL, CONSTRAINT orders_pkey PRIMARY KEY (id), CONSTRAINT "
						+ "fk_orders_customer FOREIGN KEY (customer_id) REFERENCES public.customers(id))"));
		applied.addAll(DO_1_1_0_TO_1_5_0);
		assertThat(catalog.takeApplicationDdl()).containsExactlyElementsOf(applied);

		readableOutputAtHead(jar, database);

		// Back to a moment between the first and the second update: undoes orders, the v1.0.0 tag and email.
		Instant firstRun = catalog.historyRow(CUSTOMERS).executedAt();
		Instant secondRun = catalog.historyRow(ORDERS).executedAt();
		assertThat(secondRun).isAfter(firstRun.plusMillis(2));
		Instant between = firstRun.plus(ChronoUnit.MILLIS.between(firstRun, secondRun) / 2, ChronoUnit.MILLIS);
		List<String> undone = rollbackAsPreviewed(jar, catalog, "--to-date=" + between);
		List<String> undoneByDate = new java.util.ArrayList<>(UNDO_1_5_0);
		undoneByDate.addAll(UNDO_1_4_0_AND_1_3_0);
		undoneByDate.addAll(List.of("ALTER TABLE public.orders DROP COLUMN status",
				"ALTER TABLE public.customers DROP COLUMN email", "DROP TABLE public.orders"));
		assertThat(undone).containsExactlyElementsOf(undoneByDate);
		assertThat(catalog.historyIds()).containsExactly(CUSTOMERS);
		assertThat(database.tableExists("orders")).isFalse();
		updateBackToHead(jar, catalog, head);

		// The last release: its changeset and its tag.
		undone = rollbackAsPreviewed(jar, catalog, "--count=2");
		assertThat(undone).containsExactlyElementsOf(UNDO_1_5_0);
		assertThat(catalog.historyIds()).containsExactlyElementsOf(ALL.subList(0, 11));
		updateBackToHead(jar, catalog, head);

		// Liquibase undoes the tagDatabase changeset that set the tag too; update applies it (and the tag) again.
		Run byTag = jar.migrations(database, "rollback-sql", "--to-tag=v1.2.0").exits(0);
		assertThat(byTag.stdout()).contains("-- Rolling Back ChangeSet: " + RELEASE_1_2 + "::" + TAG_V1_2_0 + "::ana");
		State beforeTagRollback = catalog.state();
		List<String> previewed = Catalog.applicationDdl(Catalog.statementsOf(byTag.stdout()));
		assertThat(catalog.state()).isEqualTo(beforeTagRollback);
		Run rollback = jar.migrations(database, "rollback", "--to-tag=v1.2.0").exits(0);
		assertThat(rollback.stdout()).contains("Rolled back 7 changeset(s) (back to tag v1.2.0)", DROP_NAME, INDEX,
				TAG_V1_2_0, "The tagDatabase changeset that set v1.2.0 was undone too");
		List<String> undoneByTag = new java.util.ArrayList<>(UNDO_1_5_0);
		undoneByTag.addAll(UNDO_1_4_0_AND_1_3_0);
		assertThat(catalog.takeApplicationDdl()).isEqualTo(previewed).containsExactlyElementsOf(undoneByTag);
		assertThat(catalog.historyIds()).containsExactlyElementsOf(ALL.subList(0, 6));
		// Deploying release 1.2.0 again (its 'migrations update') records its tag again, and changes nothing else.
		List<String> atTag = catalog.schema();
		Run retag = jar.migrations(database, "update", "--to-tag=v1.2.0").exits(0);
		assertThat(retag.stdout()).contains("[1/1] changeset " + TAG_V1_2_0 + "::ana", "Applied 1 changeset(s)");
		assertThat(catalog.historyRow(TAG_V1_2_0).tag()).isEqualTo("v1.2.0");
		assertThat(catalog.takeApplicationDdl()).isEmpty();
		assertThat(catalog.schema()).isEqualTo(atTag);
		updateBackToHead(jar, catalog, head);

		// A consistent history: each changeset once, in changelog order, tags where the releases put them.
		List<Catalog.Row> history = catalog.history();
		assertThat(history).extracting(Catalog.Row::id).containsExactlyElementsOf(ALL);
		assertThat(history).extracting(Catalog.Row::orderExecuted).isSorted().doesNotHaveDuplicates();
		assertThat(history).extracting(Catalog.Row::tag)
			.containsExactly(null, null, "v1.0.0", null, "v1.1.0", null, "v1.2.0", null, "v1.3.0", null, "v1.4.0",
					null, "v1.5.0");
		assertThat(history).extracting(Catalog.Row::execType).containsOnly("EXECUTED");

		Run tag = jar.migrations(database, "tag", "--name=hotfix-7").exits(0);
		assertThat(tag.stdout()).contains("Tagged the current state as hotfix-7.");
		assertThat(catalog.historyRow(TAG_V1_5_0).tag()).isEqualTo("hotfix-7");
		jar.migrations(database, "check").exits(0);
		assertThat(catalog.schema()).isEqualTo(head);
	}

	/**
	 * Release by release, with the SQL each release's application code runs: the backfills fill what the previous
	 * code wrote, the defaults and the expand half keep the previous code working during a rollout, the contract
	 * half catches the rows written meanwhile, and rolling back the rename brings the old column back with its
	 * data. Then every changeset is rolled back, down to an empty database, and applied again.
	 */
	@Test
	void everyReleaseKeepsTheDataAndEveryRollbackRuns() {
		TestDatabase database = TestDatabases.create();
		Catalog catalog = new Catalog(database);
		SampleJar jar = new SampleJar(this.workingDirectory);

		jar.migrations(database, "update", "--to-tag=v1.1.0").exits(0);
		// Release 1.1.0's code.
		database.execute("INSERT INTO customers (name, email) VALUES ('Ada', 'ada@example.com')");
		database.execute("INSERT INTO orders (customer_id, total_cents) VALUES (1, 4200)");

		// 1.2.0: the existing order is backfilled; a 1.1.0 instance still running during the rollout inserts
		// without a status, and the default fills it.
		jar.migrations(database, "update", "--to-tag=v1.2.0").exits(0);
		database.execute("INSERT INTO orders (customer_id, total_cents) VALUES (1, 1999)");
		assertThat(database.rows("SELECT id, status FROM orders ORDER BY id")).containsExactly(List.of("1", "PLACED"),
				List.of("2", "PLACED"));

		// 1.3.0: the index was built concurrently, and is valid.
		jar.migrations(database, "update", "--to-tag=v1.3.0").exits(0);
		assertThat(database.rows("SELECT indisvalid::text FROM pg_index "
				+ "WHERE indexrelid = 'orders_customer_created_idx'::regclass")).containsExactly(List.of("true"));

		// 1.4.0, expand: full_name is backfilled. During its rollout a 1.3.0 instance writes name only, a 1.4.0
		// instance writes both.
		jar.migrations(database, "update", "--to-tag=v1.4.0").exits(0);
		database.execute("INSERT INTO customers (name) VALUES ('Grace')");
		database.execute("INSERT INTO customers (name, full_name) VALUES ('Linus', 'Linus')");
		assertThat(database.rows("SELECT name, full_name FROM customers ORDER BY id"))
			.containsExactly(List.of("Ada", "Ada"), Arrays.asList("Grace", null), List.of("Linus", "Linus"));

		// 1.5.0, contract: Grace, written by a 1.3.0 instance, is backfilled before name goes.
		jar.migrations(database, "update").exits(0);
		assertThat(columns(database, "customers")).containsExactly("id", "email", "full_name");
		assertThat(names(database, "full_name")).containsExactly("Ada", "Grace", "Linus");
		database.execute("INSERT INTO customers (full_name) VALUES ('Barbara')");
		List<String> head = catalog.schema();

		// Rolling back the rename brings name back, filled from full_name: release 1.3.0's code works again.
		jar.migrations(database, "rollback", "--to-tag=v1.3.0").exits(0);
		assertThat(catalog.historyIds()).containsExactlyElementsOf(ALL.subList(0, 8));
		assertThat(columns(database, "customers")).containsExactly("id", "email", "name");
		assertThat(names(database, "name")).containsExactly("Ada", "Grace", "Linus", "Barbara");
		database.execute("INSERT INTO customers (name) VALUES ('Edsger')");
		assertThat(database.rows("SELECT is_nullable FROM information_schema.columns WHERE table_schema = 'public' "
				+ "AND table_name = 'customers' AND column_name = 'name'")).containsExactly(List.of("NO"));

		// Every remaining changeset's rollback, down to an empty schema; then everything again.
		jar.migrations(database, "rollback", "--count=8").exits(0);
		assertThat(catalog.historyIds()).isEmpty();
		assertThat(catalog.schema()).isEmpty();
		jar.migrations(database, "update").exits(0);
		assertThat(catalog.historyIds()).containsExactlyElementsOf(ALL);
		assertThat(catalog.schema()).isEqualTo(head);
	}

	private static List<String> names(TestDatabase database, String column) {
		return database.rows("SELECT " + column + " FROM customers ORDER BY id").stream().map((row) -> row.get(0)).toList();
	}

	private void readableOutputAtHead(SampleJar jar, TestDatabase database) {
		Run status = jar.migrations(database, "status").exits(0);
		status.print();
		assertThat(status.stdout()).contains("State       UP_TO_DATE", "Tag         v1.5.0", "Applied     13",
				"Current     " + TAG_V1_5_0 + "::ana", "Lock        free", "Pending: 0");

		Run check = jar.migrations(database, "check").exits(0);
		check.print();
		assertThat(check.stdout()).contains("OK: the schema matches the changelog.");

		Run history = jar.migrations(database, "history").exits(0);
		history.print();
		List<String> rows = assertAligned(history.stdout(), "  #   ID");
		assertThat(rows).hasSize(14);
		assertThat(rows.get(1)).contains(TAG_V1_5_0).contains("v1.5.0");
		assertThat(rows.get(2)).contains(DROP_NAME).contains("db/changelog/releases/v1.5.0.yaml");
		assertThat(rows.get(11)).contains(TAG_V1_0_0).contains("v1.0.0");
		assertThat(rows.get(13)).contains(CUSTOMERS);

		Run json = jar.migrations(database, "history", "--format=json").exits(0);
		JsonNode applied = JsonMapper.builder().build().readTree(json.stdout());
		assertThat(applied.isArray()).isTrue();
		assertThat(applied.size()).isEqualTo(13);
		assertThat(applied.get(0).get("id").asString()).isEqualTo(TAG_V1_5_0);
		assertThat(applied.get(0).get("tag").asString()).isEqualTo("v1.5.0");
		assertThat(applied.get(0).get("orderExecuted").asInt()).isEqualTo(13);
		assertThat(applied.get(12).get("id").asString()).isEqualTo(CUSTOMERS);
		assertThat(applied.get(12).get("changeLog").asString()).isEqualTo(RELEASE_1_0);
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
		assertThat(update.stdout()).contains("Applied 13 changeset(s)");
		assertThat(new Catalog(migrationsDatabase).historyIds()).hasSize(13);
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
