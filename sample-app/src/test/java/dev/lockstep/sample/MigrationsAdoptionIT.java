package dev.lockstep.sample;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import dev.lockstep.sample.SampleJar.Run;
import dev.lockstep.test.TestDatabase;
import dev.lockstep.test.TestDatabases;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Adopting a database that hand-written startup code built: a plain start refuses before changing anything,
 * generate-changelog describes what exists, baseline records the v1.0.0 changesets, and the next start applies
 * the releases after it, ending with the schema a fresh migration builds.
 */
class MigrationsAdoptionIT {

	@TempDir
	Path directory;

	@Test
	void adoptsADatabaseBuiltByStartupCode() throws Exception {
		TestDatabase database = TestDatabases.create();
		Catalog catalog = new Catalog(database);
		SampleJar jar = new SampleJar(this.directory.resolve("work"));
		StartupCode.release1To3(database);
		catalog.recordDdl();
		List<String> builtByHand = catalog.schema();

		// A plain start (migrations.mode=apply) refuses before anything runs.
		Run refused = jar.start(database);
		assertThat(refused.ready()).isFalse();
		assertThat(refused.exitCode()).isNotZero();
		assertThat(refused.output()).contains(
				"The database already has tables this changelog would create, but no migration history",
				"- customers (changeset 2024-01-create-customers::ana (db/changelog/releases/v1.0.0.yaml))",
				"- orders (changeset 2024-01-create-orders::ana (db/changelog/releases/v1.0.0.yaml))",
				"migrations generate-changelog --output=existing.yaml", "migrations baseline --to-tag=v1.0.0")
			.doesNotContain("already exists");
		catalog.assertNoHistoryTables();
		assertThat(catalog.schema()).isEqualTo(builtByHand);
		assertThat(catalog.takeDdl()).isEmpty();
		assertThat(StartupCode.customers(database)).containsExactly("Ada", "Grace");

		// 1. Describe what exists, for review.
		Path existing = this.directory.resolve("existing.yaml");
		Run generate = jar.migrations(database, "generate-changelog", "--output=" + existing).exits(0);
		assertThat(generate.stdout()).contains("Wrote a changelog of the existing schema to " + existing);
		assertThat(existing).isRegularFile();
		String generated = Files.readString(existing);
		assertThat(generated).contains("tableName: customers", "tableName: orders", "constraintName: fk_orders_customer",
				"type: VARCHAR(200)", "type: TIMESTAMP WITH TIME ZONE", "defaultValueComputed: now()")
			.doesNotContainIgnoringCase("tableName: databasechangelog")
			.doesNotContainIgnoringCase("lockstep_last_run")
			.doesNotContainIgnoringCase("lockstep_audit");
		catalog.assertNoHistoryTables();
		assertThat(catalog.schema()).isEqualTo(builtByHand);
		assertThat(catalog.takeDdl()).isEmpty();

		// Writing over an existing file is refused.
		Run again = jar.migrations(database, "generate-changelog", "--output=" + existing).exits(3);
		assertThat(again.errorLine()).contains(existing + " already exists.");

		// A tag the changelog does not declare: refused, nothing recorded.
		Run wrongTag = jar.migrations(database, "baseline", "--to-tag=v1.0").exits(3);
		assertThat(wrongTag.errorLine()).isEqualTo("migrations baseline: The changelog has no tagDatabase changeset "
				+ "with tag 'v1.0'. Nothing was changed. | What to do: Use a tag the changelog declares (a tagDatabase "
				+ "change), or leave out --to-tag to record every changeset.");
		assertThat(catalog.historyIds()).isEmpty();
		assertThat(catalog.takeDdl()).isEmpty();

		// 2. The existing schema is release v1.0.0: record its changesets as applied, without running them.
		Run baseline = jar.migrations(database, "baseline", "--to-tag=v1.0.0").exits(0);
		assertThat(baseline.stdout())
			.contains("Baseline: recorded 3 changeset(s) as applied without running them (up to tag v1.0.0).");
		assertThat(catalog.historyIds()).containsExactly("2024-01-create-customers", "2024-01-create-orders",
				"2024-01-tag-v1.0.0");
		assertThat(catalog.historyRow("2024-01-tag-v1.0.0").tag()).isEqualTo("v1.0.0");
		assertThat(catalog.schema()).isEqualTo(builtByHand);
		assertThat(catalog.takeApplicationDdl()).isEmpty();

		Run status = jar.migrations(database, "status").exits(0);
		assertThat(status.stdout()).contains("State       PENDING", "Tag         v1.0.0", "Pending: 10",
				"2024-06-add-email", "2025-04-drop-customer-name");

		// 3. Carry on: a normal start applies the releases after v1.0.0 only, and the application starts.
		Run started = jar.start(database);
		assertThat(started.ready()).as("ready line in%n%s", started.output()).isTrue();
		assertThat(started.stdout()).contains("[1/10] changeset 2024-06-add-email::ana", "Applied 10 changeset(s)")
			.doesNotContain("2024-01-create-customers::ana (");
		assertThat(catalog.takeApplicationDdl()).containsExactlyElementsOf(MigrationsCommandsIT.DO_1_1_0_TO_1_5_0);
		assertThat(catalog.historyIds()).hasSize(13)
			.startsWith("2024-01-create-customers", "2024-01-create-orders", "2024-01-tag-v1.0.0", "2024-06-add-email")
			.endsWith("2025-04-tag-v1.5.0");
		assertThat(catalog.historyRow("2025-04-tag-v1.5.0").tag()).isEqualTo("v1.5.0");
		// The rows the startup code wrote went through every release: renamed column, backfilled status.
		assertThat(StartupCode.customers(database)).containsExactly("Ada", "Grace");
		assertThat(database.rows("SELECT status FROM orders")).containsExactly(List.of("PLACED"));

		// The adopted database now has exactly the schema a fresh migration builds.
		TestDatabase fresh = TestDatabases.create();
		jar.migrations(fresh, "update").exits(0);
		assertThat(catalog.schema()).isEqualTo(new Catalog(fresh).schema());
	}

	@Test
	void baselineWithoutTagRecordsEveryChangeset() {
		TestDatabase database = TestDatabases.create();
		Catalog catalog = new Catalog(database);
		SampleJar jar = new SampleJar(this.directory.resolve("work"));
		StartupCode.release1To3(database);
		StartupCode.release4To7(database);
		List<String> builtByHand = catalog.schema();

		Run baseline = jar.migrations(database, "baseline").exits(0);
		assertThat(baseline.stdout()).contains("Baseline: recorded 13 changeset(s) as applied without running them.");
		assertThat(catalog.historyIds()).hasSize(13)
			.startsWith("2024-01-create-customers", "2024-01-create-orders", "2024-01-tag-v1.0.0", "2024-06-add-email")
			.endsWith("2025-04-drop-customer-name", "2025-04-tag-v1.5.0");
		assertThat(catalog.schema()).isEqualTo(builtByHand);
		Run check = jar.migrations(database, "check").exits(0);
		assertThat(check.stdout()).contains("OK: the schema matches the changelog.");
	}

	/**
	 * What the orders service did before Lockstep: look at the schema at startup and ALTER it, release after
	 * release.
	 */
	static final class StartupCode {

		private StartupCode() {
		}

		/** The schema releases 1 to 3 of the startup code left behind: the sample's v1.0.0 schema. */
		static void release1To3(TestDatabase database) {
			try (Connection connection = database.connect(); Statement statement = connection.createStatement()) {
				// Release 1
				statement.execute("CREATE TABLE IF NOT EXISTS customers (id BIGINT GENERATED BY DEFAULT AS IDENTITY "
						+ "NOT NULL, name VARCHAR(100) NOT NULL)");
				if (!constraintExists(connection, "customers_pkey")) {
					statement.execute("ALTER TABLE customers ADD CONSTRAINT customers_pkey PRIMARY KEY (id)");
				}
				statement.execute("INSERT INTO customers (name) VALUES ('Ada')");
				// Release 2: names were too short; orders.
				statement.execute("ALTER TABLE customers ALTER COLUMN name TYPE VARCHAR(200)");
				statement.execute("CREATE TABLE IF NOT EXISTS orders (id BIGINT GENERATED BY DEFAULT AS IDENTITY "
						+ "NOT NULL CONSTRAINT orders_pkey PRIMARY KEY, customer_id BIGINT NOT NULL, "
						+ "total_cents BIGINT NOT NULL)");
				// Release 3: when an order was placed, and no orders of unknown customers.
				if (!columnExists(connection, "orders", "created_at")) {
					statement.execute("ALTER TABLE orders ADD COLUMN created_at TIMESTAMP WITH TIME ZONE "
							+ "DEFAULT now() NOT NULL");
				}
				if (!constraintExists(connection, "fk_orders_customer")) {
					statement.execute("ALTER TABLE orders ADD CONSTRAINT fk_orders_customer FOREIGN KEY (customer_id) "
							+ "REFERENCES customers (id)");
				}
				statement.execute("INSERT INTO customers (name) VALUES ('Grace')");
				statement.execute("INSERT INTO orders (customer_id, total_cents) VALUES (1, 4200)");
			}
			catch (SQLException ex) {
				throw new IllegalStateException(ex);
			}
		}

		/**
		 * Releases 4 to 7, the startup-code way: e-mail addresses, an order status, an index built while it blocks
		 * every write, and a rename that breaks every instance still running the previous version (the sample's
		 * v1.1.0 to v1.5.0).
		 */
		static void release4To7(TestDatabase database) {
			database.execute("ALTER TABLE customers ADD COLUMN IF NOT EXISTS email VARCHAR(320)");
			database.execute("ALTER TABLE orders ADD COLUMN IF NOT EXISTS status VARCHAR(20) DEFAULT 'PLACED' NOT NULL");
			database.execute("CREATE INDEX IF NOT EXISTS orders_customer_created_idx ON orders (customer_id, "
					+ "created_at DESC)");
			database.execute("ALTER TABLE customers RENAME COLUMN name TO full_name");
		}

		/** The customers' names, from whichever column holds them. */
		static List<String> customers(TestDatabase database) {
			String column = database.count("SELECT count(*) FROM information_schema.columns WHERE table_schema = "
					+ "'public' AND table_name = 'customers' AND column_name = 'full_name'") > 0 ? "full_name" : "name";
			return database.rows("SELECT " + column + " FROM customers ORDER BY id")
				.stream()
				.map((row) -> row.get(0))
				.toList();
		}

		private static boolean constraintExists(Connection connection, String name) throws SQLException {
			try (Statement statement = connection.createStatement();
					ResultSet rows = statement
						.executeQuery("SELECT 1 FROM pg_constraint WHERE conname = '" + name + "'")) {
				return rows.next();
			}
		}

		private static boolean columnExists(Connection connection, String table, String column) throws SQLException {
			try (Statement statement = connection.createStatement();
					ResultSet rows = statement.executeQuery("SELECT 1 FROM information_schema.columns WHERE "
							+ "table_name = '" + table + "' AND column_name = '" + column + "'")) {
				return rows.next();
			}
		}

	}

}
