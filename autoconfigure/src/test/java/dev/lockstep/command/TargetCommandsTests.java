package dev.lockstep.command;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.jdbc.autoconfigure.DataSourceAutoConfiguration;
import org.springframework.boot.test.context.assertj.AssertableApplicationContext;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;

import dev.lockstep.autoconfigure.MigrationsAutoConfiguration;
import dev.lockstep.autoconfigure.MigrationsCommandAutoConfiguration;
import dev.lockstep.test.RunningApp;
import dev.lockstep.test.TestDatabase;
import dev.lockstep.test.TestDatabases;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code --target}, {@code --tenant} and {@code --all-tenants} in a real application started to run a command (no
 * startup run), on real databases: the default target, {@code billing} on a second database and {@code tenants},
 * schemas listed by a query on a registry table (so that a tenant can be created while the application runs).
 */
class TargetCommandsTests {

	private static final String TENANT_QUERY = "SELECT name FROM public.tenant_registry ORDER BY name";

	private static ApplicationContextRunner app(TestDatabase orders, TestDatabase billing, String... more) {
		List<String> properties = new ArrayList<>(List.of("spring.datasource.url=" + orders.url(),
				"spring.datasource.username=" + orders.user(), "spring.datasource.password=" + orders.password(),
				"lockstep.command=status", "migrations.targets.billing.url=" + billing.url(),
				"migrations.targets.billing.change-log=classpath:db/billing/changelog.yaml",
				"migrations.targets.tenants.change-log=classpath:db/tenants/changelog.yaml",
				"migrations.targets.tenants.tenants.query=" + TENANT_QUERY));
		properties.addAll(List.of(more));
		return new ApplicationContextRunner()
			.withConfiguration(AutoConfigurations.of(DataSourceAutoConfiguration.class,
					MigrationsAutoConfiguration.class, MigrationsCommandAutoConfiguration.class))
			.withPropertyValues(properties.toArray(String[]::new));
	}

	/** Three tenants; tenant_02 already has a {@code notes} table of its own, so its second changeset fails. */
	private static TestDatabase ordersWithThreeTenants() {
		TestDatabase orders = TestDatabases.create();
		orders.execute("CREATE TABLE public.tenant_registry (name text PRIMARY KEY)");
		orders.execute("INSERT INTO public.tenant_registry VALUES ('tenant_01'), ('tenant_02'), ('tenant_03')");
		orders.execute("CREATE SCHEMA tenant_02; CREATE TABLE tenant_02.notes (id int, body text)");
		return orders;
	}

	@Test
	void aTargetWithoutTenantsIsPickedByName() {
		TestDatabase orders = ordersWithThreeTenants();
		TestDatabase billing = TestDatabases.create();
		app(orders, billing).run((context) -> {
			Output status = execute(context, "status", "--target=billing");
			assertThat(status.code()).as(status.err()).isEqualTo(CommandExecutor.OK);
			assertThat(status.out()).startsWith("Target      billing\n")
				.contains("Changelog   db/billing/changelog.yaml", "State       PENDING", "Pending: 1", "1-invoices")
				.contains(billing.name());

			Output update = execute(context, "update", "--target=billing");
			assertThat(update.code()).as(update.err()).isEqualTo(CommandExecutor.OK);
			assertThat(update.out()).contains("Applied 1 changeset(s)");
			assertThat(billing.count("SELECT count(*) FROM public.databasechangelog")).isEqualTo(1);
			// The default target was not touched: it is still where it was.
			assertThat(orders.tableExists("databasechangelog")).isFalse();
			assertThat(execute(context, "status").out()).doesNotContain("Target ")
				.contains("State       PENDING", "Pending: 3");
			JsonNode json = RunningApp.parse(execute(context, "status", "--target=billing", "--format=json").out());
			assertThat(json.path("state").asString()).isEqualTo("UP_TO_DATE");
			assertThat(json.path("changeLog").asString()).isEqualTo("db/billing/changelog.yaml");

			Output tenant = execute(context, "status", "--target=billing", "--tenant=tenant_01");
			assertThat(tenant.code()).isEqualTo(CommandExecutor.USAGE);
			assertThat(tenant.errorLine()).isEqualTo("migrations status: Target billing has no tenants: leave out "
					+ "--tenant, or run the command on a target with tenants (tenants).");
			assertThat(tenant.out()).isEmpty();
		});
	}

	@Test
	void wrongTargetsAndTenantsAreUsageErrorsSayingWhatToGive() {
		TestDatabase orders = ordersWithThreeTenants();
		TestDatabase billing = TestDatabases.create();
		app(orders, billing).run((context) -> {
			assertUsageError(context, "migrations status: Unknown --target=orders: the targets are default, billing, "
					+ "tenants (migrations.targets.*; without --target the command runs on default).", "status",
					"--target=orders");
			assertUsageError(context, "migrations status: Target tenants is migrated per tenant: name one with "
					+ "--tenant=ID, or all of them with --all-tenants.", "status", "--target=tenants");
			assertUsageError(context, "migrations rollback: Target tenants is migrated per tenant: name one with "
					+ "--tenant=ID.", "rollback", "--target=tenants", "--count=1");
			assertUsageError(context, "migrations status: Target tenants has no tenant tenant_99 (its tenant source "
					+ "does not list it). | What to do: Add the tenant to the target's tenant source (tenants.schemas, "
					+ "tenants.query or its TenantSource bean) first; known tenants: tenant_01, tenant_02, tenant_03.",
					"status", "--target=tenants", "--tenant=tenant_99");
			assertUsageError(context, "migrations status: Give --tenant=ID or --all-tenants, not both.", "status",
					"--target=tenants", "--tenant=tenant_01", "--all-tenants");
			assertUsageError(context, "migrations status: --tenant needs a value: --tenant=ID.", "status",
					"--target=tenants", "--tenant");
			assertUsageError(context, "migrations update: Target default has no tenants: leave out --all-tenants, or "
					+ "run the command on a target with tenants (tenants).", "update", "--all-tenants");
			assertUsageError(context, "migrations rollback: 'migrations rollback' runs on one tenant at a time: it "
					+ "changes or writes what a tenant's own decision must cover, and has no confirmation step. Name "
					+ "the tenant with --tenant=ID (list them with 'migrations status --target=tenants "
					+ "--all-tenants').", "rollback", "--target=tenants", "--all-tenants", "--count=1");
			assertUsageError(context, "migrations update: --count and --to-tag apply part of the changelog to one "
					+ "tenant: give --tenant=ID with them. --all-tenants applies everything pending on every tenant.",
					"update", "--target=tenants", "--all-tenants", "--count=1");
			// Nothing was applied anywhere.
			assertThat(orders.count("SELECT count(*) FROM information_schema.tables WHERE table_name = "
					+ "'databasechangelog'")).isZero();
		});
	}

	@Test
	void allTenantsAreMigratedTogetherAFailedOneIsNamedAndShownFailedAndANewOneIsMigratedByName() {
		TestDatabase orders = ordersWithThreeTenants();
		TestDatabase billing = TestDatabases.create();
		app(orders, billing).run((context) -> {
			Output dryRun = execute(context, "update", "--target=tenants", "--all-tenants", "--dry-run");
			assertThat(dryRun.code()).as(dryRun.err()).isEqualTo(CommandExecutor.OK);
			assertThat(dryRun.out()).contains("Plan: target tenants, 3 tenants: apply 9 changeset(s) to 3 of them")
				.containsPattern("tenant_01 +3 +1-accounts::ana +3-accounts-email::ben")
				.endsWith("Dry run: nothing was changed.\n");
			assertThat(orders.count("SELECT count(*) FROM information_schema.tables WHERE table_name = "
					+ "'databasechangelog'")).isZero();

			Output update = execute(context, "update", "--target=tenants", "--all-tenants");
			assertThat(update.code()).isEqualTo(CommandExecutor.FAILED);
			assertThat(update.errorLine()).startsWith("migrations update: 1 of 3 tenants of target tenants failed: "
					+ "tenant_02 (")
				.contains("| What to do: Every other tenant was migrated. Fix the cause named for each failed tenant, "
						+ "then run java -jar app.jar migrations update --target=tenants --tenant=tenant_02");
			assertThat(update.out()).containsPattern("tenant_01 +ok +3 +\\d+ ms +UP_TO_DATE +-")
				.containsPattern("tenant_02 +FAILED +- +\\d+ ms +FAILED +Changeset 2-notes-raw-sql::ana .* \"notes\" "
						+ "already exists")
				.containsPattern("tenant_03 +ok +3 +\\d+ ms +UP_TO_DATE +-")
				.contains("Target tenants: FAILED (2 UP_TO_DATE, 1 FAILED)");
			for (String migrated : List.of("tenant_01", "tenant_03")) {
				assertThat(orders.count("SELECT count(*) FROM " + migrated + ".databasechangelog")).isEqualTo(3);
				assertThat(orders.rows("SELECT body FROM " + migrated + ".notes")).containsExactly(List.of(migrated));
			}
			assertThat(orders.count("SELECT count(*) FROM tenant_02.databasechangelog")).isEqualTo(1);

			Output status = execute(context, "status", "--target=tenants", "--all-tenants");
			assertThat(status.code()).as(status.err()).isEqualTo(CommandExecutor.OK);
			assertThat(status.out()).startsWith("Target      tenants (3 tenants)\n"
					+ "State       FAILED (2 UP_TO_DATE, 1 FAILED)\n")
				.containsPattern("TENANT +STATE +PENDING +CURRENT +APPLIED +ERROR")
				.containsPattern("tenant_01 +UP_TO_DATE +0 +3-accounts-email::ben +3 +-")
				.containsPattern("tenant_02 +FAILED +2 +1-accounts::ana +1 +.*notes")
				.containsPattern("tenant_03 +UP_TO_DATE +0 +3-accounts-email::ben +3 +-");

			JsonNode json = RunningApp.parse(
					execute(context, "status", "--target=tenants", "--all-tenants", "--format=json").out());
			assertThat(json.path("target").asString()).isEqualTo("tenants");
			assertThat(json.path("state").asString()).isEqualTo("FAILED");
			assertThat(json.path("counts").path("UP_TO_DATE").asInt()).isEqualTo(2);
			assertThat(json.path("counts").path("FAILED").asInt()).isEqualTo(1);
			assertThat(json.path("tenants").propertyNames()).containsExactly("tenant_01", "tenant_02", "tenant_03");
			JsonNode failed = json.path("tenants").path("tenant_02");
			assertThat(failed.path("state").asString()).isEqualTo("FAILED");
			assertThat(failed.path("pending").asInt()).isEqualTo(2);
			assertThat(failed.path("error").asString()).contains("notes");
			assertThat(json.path("tenants").path("tenant_01").path("error").isNull()).isTrue();

			Output sql = execute(context, "sql", "--target=tenants", "--all-tenants");
			assertThat(sql.code()).as(sql.err()).isEqualTo(CommandExecutor.OK);
			assertThat(sql.out()).contains("-- Tenant tenant_01:", "-- Tenant tenant_02:", "-- Tenant tenant_03:")
				.containsPattern("(?s)-- Tenant tenant_02:.*CREATE TABLE notes.*ALTER TABLE tenant_02\\.accounts "
						+ "ADD email VARCHAR\\(320\\).*-- Tenant tenant_03:");
			JsonNode lint = RunningApp.parse(
					execute(context, "lint", "--target=tenants", "--all-tenants", "--format=json").out());
			assertThat(lint.propertyNames()).containsExactly("tenant_01", "tenant_02", "tenant_03");
			assertThat(lint.path("tenant_01").path("pending").asInt()).isZero();
			assertThat(lint.path("tenant_02").path("pending").asInt()).isEqualTo(2);

			Output check = execute(context, "check", "--target=tenants", "--all-tenants");
			assertThat(check.code()).isEqualTo(CommandExecutor.NOT_UP_TO_DATE);
			assertThat(check.out()).contains("NOT UP TO DATE: 1 of 3 tenants (tenant_02 FAILED)");

			// A tenant created while the application runs: listed by the query, migrated by name.
			orders.execute("INSERT INTO public.tenant_registry VALUES ('tenant_04')");
			Output one = execute(context, "update", "--target=tenants", "--tenant=tenant_04");
			assertThat(one.code()).as(one.err()).isEqualTo(CommandExecutor.OK);
			assertThat(one.out()).contains("Plan: apply 3 changeset(s), in this order:", "Applied 3 changeset(s)");
			assertThat(orders.rows("SELECT body FROM tenant_04.notes")).containsExactly(List.of("tenant_04"));
			Output tenantStatus = execute(context, "status", "--target=tenants", "--tenant=tenant_04");
			assertThat(tenantStatus.out()).startsWith("Target      tenants, tenant tenant_04\n")
				.contains("(schema tenant_04)", "State       UP_TO_DATE", "Applied     3");

			JsonNode history = RunningApp.parse(
					execute(context, "history", "--target=tenants", "--all-tenants", "--format=json").out());
			assertThat(history.propertyNames()).containsExactly("tenant_01", "tenant_02", "tenant_03", "tenant_04");
			assertThat(history.path("tenant_02").size()).isEqualTo(1);
			assertThat(history.path("tenant_04").get(0).path("id").asString()).isEqualTo("3-accounts-email");

			// The cause fixed, the whole fleet is migrated and the gate passes.
			orders.execute("DROP TABLE tenant_02.notes");
			Output again = execute(context, "update", "--target=tenants", "--all-tenants");
			assertThat(again.code()).as(again.err()).isEqualTo(CommandExecutor.OK);
			assertThat(again.err()).isEmpty();
			assertThat(again.out()).containsPattern("tenant_02 +2 +2-notes-raw-sql::ana +3-accounts-email::ben")
				.containsPattern("tenant_01 +0 +- +-")
				.contains("Target tenants: UP_TO_DATE (4 UP_TO_DATE), 2 changeset(s) applied in");
			Output passed = execute(context, "check", "--target=tenants", "--all-tenants");
			assertThat(passed.code()).as(passed.out()).isEqualTo(CommandExecutor.OK);
			assertThat(passed.out()).contains("OK: every tenant matches the changelog.");
		});
	}

	@Test
	void withOnFailureContinueTheCommandStillFailsNamingTheTenant() {
		TestDatabase orders = ordersWithThreeTenants();
		TestDatabase billing = TestDatabases.create();
		app(orders, billing, "migrations.targets.tenants.tenants.on-failure=continue").run((context) -> {
			Output update = execute(context, "update", "--target=tenants", "--all-tenants", "--format=json");
			assertThat(update.code()).isEqualTo(CommandExecutor.FAILED);
			assertThat(update.errorLine()).startsWith("migrations update: 1 of 3 tenants of target tenants failed: "
					+ "tenant_02 (");
			JsonNode json = RunningApp.parse(update.out());
			assertThat(json.path("state").asString()).isEqualTo("FAILED");
			// tenant_02's first changeset stays applied, but its run failed: the run's count is the others'.
			assertThat(json.path("applied").asInt()).isEqualTo(6);
			assertThat(json.path("tenants").path("tenant_01").path("applied").asInt()).isEqualTo(3);
			assertThat(json.path("tenants").path("tenant_02").path("state").asString()).isEqualTo("FAILED");
			assertThat(json.path("tenants").path("tenant_02").path("error").asString()).contains("notes");
		});
	}

	private static void assertUsageError(AssertableApplicationContext context, String line, String... args) {
		Output output = execute(context, args);
		assertThat(output.code()).as(output.err()).isEqualTo(CommandExecutor.USAGE);
		assertThat(output.errorLine()).isEqualTo(line);
		assertThat(output.out()).isEmpty();
	}

	private static Output execute(AssertableApplicationContext context, String... args) {
		ByteArrayOutputStream out = new ByteArrayOutputStream();
		ByteArrayOutputStream err = new ByteArrayOutputStream();
		List<String> arguments = new ArrayList<>(List.of("migrations"));
		arguments.addAll(List.of(args));
		int code = context.getBean(MigrationsCommandRunner.class)
			.execute(arguments, new PrintStream(out, true, StandardCharsets.UTF_8),
					new PrintStream(err, true, StandardCharsets.UTF_8));
		return new Output(code, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
	}

	record Output(int code, String out, String err) {

		String errorLine() {
			assertThat(this.err.lines()).as("stderr: one line").hasSize(1);
			return this.err.strip();
		}

	}

}
