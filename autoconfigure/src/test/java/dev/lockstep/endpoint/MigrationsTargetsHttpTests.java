package dev.lockstep.endpoint;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import tools.jackson.databind.JsonNode;

import dev.lockstep.test.RunningApp;
import dev.lockstep.test.RunningApp.Response;
import dev.lockstep.test.TestDatabase;
import dev.lockstep.test.TestDatabases;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code /actuator/migrations} of an application with named targets, over real HTTP: the default target in the
 * root document with {@code targets} added, a target on a second database, and a target with five tenant schemas of
 * which one fails ({@code on-failure=continue}); the documents per target and per tenant, and 404 for what does not
 * exist. One application serves every test: they only read. The documents are captured into
 * {@code target/captured/targets-*.json} for the README.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class MigrationsTargetsHttpTests {

	private TestDatabase orders;

	private TestDatabase billing;

	private RunningApp app;

	@BeforeAll
	void start() {
		this.orders = TestDatabases.create();
		this.billing = TestDatabases.create();
		// tenant_03 has a table in the way of the tenants' second changeset.
		this.orders.execute("CREATE SCHEMA tenant_03; CREATE TABLE tenant_03.notes (something_else int)");
		this.app = RunningApp.start(this.orders, targets(this.billing, "tenant_01,tenant_02,tenant_03,tenant_04,tenant_05",
				"migrations.targets.tenants.tenants.on-failure=continue", "migrations.parallelism=2"));
	}

	@AfterAll
	void stop() {
		if (this.app != null) {
			this.app.close();
		}
	}

	static String[] targets(TestDatabase billing, String schemas, String... more) {
		List<String> properties = new ArrayList<>(List.of("migrations.targets.billing.url=" + billing.url(),
				"migrations.targets.billing.change-log=classpath:db/billing/changelog.yaml",
				"migrations.targets.tenants.change-log=classpath:db/tenants/changelog.yaml",
				"migrations.targets.tenants.tenants.schemas=" + schemas));
		properties.addAll(List.of(more));
		return properties.toArray(String[]::new);
	}

	@Test
	void rootDocumentIsTheDefaultTargetsWithTheNamedTargetsAdded() {
		JsonNode root = capture("/actuator/migrations", "targets-root.json");
		assertThat(root.path("state").asString()).isEqualTo("UP_TO_DATE");
		assertThat(root.path("changeLog").asString()).isEqualTo("db/changelog/db.changelog-master.yaml");
		assertThat(root.path("appliedCount").asInt()).isEqualTo(3);
		assertThat(root.path("database").path("url").asString()).contains(this.orders.name());
		assertThat(root.path("targets")).isEqualTo(RunningApp.parse("""
				{"billing": {"state": "UP_TO_DATE"},
				 "tenants": {"state": "FAILED", "tenants": {"FAILED": 1, "UP_TO_DATE": 4}}}"""));
		// The rest is the default target's document, field for field.
		JsonNode defaultTarget = this.app.json("/actuator/migrations/targets/default");
		assertThat(defaultTarget.path("target").asString()).isEqualTo("default");
		assertThat(fieldNames(root)).containsExactlyElementsOf(
				withTargetsInsteadOfTarget(fieldNames(defaultTarget)));
		assertThat(root.path("current")).isEqualTo(defaultTarget.path("current"));
		assertThat(root.path("database")).isEqualTo(defaultTarget.path("database"));
	}

	@Test
	void targetWithoutTenantsHasTheRootDocumentForItsDatabaseAndItsParts() {
		JsonNode billing = capture("/actuator/migrations/targets/billing", "targets-billing.json");
		assertThat(billing.path("target").asString()).isEqualTo("billing");
		assertThat(billing.path("state").asString()).isEqualTo("UP_TO_DATE");
		assertThat(billing.path("mode").asString()).isEqualTo("apply");
		assertThat(billing.path("changeLog").asString()).isEqualTo("db/billing/changelog.yaml");
		assertThat(billing.path("appliedCount").asInt()).isEqualTo(1);
		assertThat(billing.path("database").path("url").asString()).endsWith("/" + this.billing.name());
		assertThat(billing.path("pending").isArray()).isTrue();
		assertThat(billing.has("tenant")).isFalse();
		assertThat(billing.has("targets")).isFalse();

		JsonNode history = this.app.json("/actuator/migrations/targets/billing/history");
		assertThat(history.path("appliedCount").asInt()).isEqualTo(1);
		assertThat(history.path("changeSets").get(0).path("changeLog").asString()).contains("billing");
		assertThat(this.app.json("/actuator/migrations/targets/billing/pending").path("count").asInt()).isZero();
	}

	@Test
	void targetWithTenantsListsTheFleetWorstFirst() {
		JsonNode fleet = capture("/actuator/migrations/targets/tenants", "targets-tenants.json");
		assertThat(fleet.path("target").asString()).isEqualTo("tenants");
		assertThat(fleet.path("state").asString()).isEqualTo("FAILED");
		assertThat(fleet.path("mode").asString()).isEqualTo("apply");
		assertThat(fleet.path("changeLog").asString()).isEqualTo("db/tenants/changelog.yaml");
		assertThat(fleet.path("parallelism").asInt()).isEqualTo(2);
		assertThat(fleet.path("onFailure").asString()).isEqualTo("continue");
		assertThat(fleet.path("tenantCount").asInt()).isEqualTo(5);
		assertThat(fleet.path("tenants")).isEqualTo(RunningApp.parse("{\"FAILED\": 1, \"UP_TO_DATE\": 4}"));
		assertThat(fleet.has("notListed")).isFalse();
		assertThat(fleet.has("listedState")).isFalse();
		List<String> ids = new ArrayList<>();
		fleet.path("tenantList").forEach((tenant) -> ids.add(tenant.path("id").asString()));
		assertThat(ids).containsExactly("tenant_03", "tenant_01", "tenant_02", "tenant_04", "tenant_05");
		JsonNode failed = fleet.path("tenantList").get(0);
		assertThat(failed.path("schema").asString()).isEqualTo("tenant_03");
		assertThat(failed.path("state").asString()).isEqualTo("FAILED");
		assertThat(failed.path("error").asString()).contains("notes");
		assertThat(failed.path("action").asString()).isNotBlank();
		assertThat(failed.has("database")).isFalse();
		JsonNode fine = fleet.path("tenantList").get(1);
		assertThat(fine).isEqualTo(RunningApp.parse("""
				{"id": "tenant_01", "schema": "tenant_01", "state": "UP_TO_DATE"}"""));

		JsonNode onlyFailed = capture("/actuator/migrations/targets/tenants?state=FAILED", "targets-tenants-failed.json");
		assertThat(onlyFailed.path("listedState").asString()).isEqualTo("FAILED");
		assertThat(onlyFailed.path("tenantList")).hasSize(1);
		assertThat(onlyFailed.path("tenantList").get(0)).isEqualTo(failed);
		assertThat(onlyFailed.path("tenants")).isEqualTo(fleet.path("tenants"));
		assertThat(this.app.json("/actuator/migrations/targets/tenants?state=pending").path("tenantList")).isEmpty();

		Response unknownState = this.app.get("/actuator/migrations/targets/tenants?state=BROKEN");
		assertThat(unknownState.status()).as(unknownState.body()).isEqualTo(400);
	}

	@Test
	void tenantHasTheRootDocumentForItsSchemaAndAFailedOneItsError() {
		JsonNode failed = capture("/actuator/migrations/targets/tenants/tenant_03", "targets-tenant-failed.json");
		assertThat(failed.path("target").asString()).isEqualTo("tenants");
		assertThat(failed.path("tenant").asString()).isEqualTo("tenant_03");
		assertThat(failed.path("state").asString()).isEqualTo("FAILED");
		assertThat(failed.path("appliedCount").asInt()).isEqualTo(1);
		assertThat(failed.path("pending")).hasSize(2);
		// The failing changeset's error is the last run's, as in the root document; the action comes with it.
		assertThat(failed.path("lastRun").path("outcome").asString()).isEqualTo("FAILED");
		assertThat(failed.path("lastRun").path("error").asString()).contains("relation \"notes\" already exists");
		assertThat(failed.has("error")).isFalse();
		assertThat(failed.path("action").asString()).startsWith("Fix changeset 2-notes-raw-sql::ana");

		JsonNode fine = this.app.json("/actuator/migrations/targets/tenants/tenant_01");
		assertThat(fine.path("tenant").asString()).isEqualTo("tenant_01");
		assertThat(fine.path("state").asString()).isEqualTo("UP_TO_DATE");
		assertThat(fine.path("appliedCount").asInt()).isEqualTo(3);
		assertThat(fine.path("current").path("id").asString()).isEqualTo("3-accounts-email");
		assertThat(fine.has("error")).isFalse();
		assertThat(fine.has("action")).isFalse();

		JsonNode history = this.app.json("/actuator/migrations/targets/tenants/tenant_03/history");
		assertThat(history.path("appliedCount").asInt()).isEqualTo(1);
		JsonNode pending = this.app.json("/actuator/migrations/targets/tenants/tenant_03/pending");
		assertThat(pending.path("count").asInt()).isEqualTo(2);
		assertThat(pending.path("changeSets").get(0).path("id").asString()).isEqualTo("2-notes-raw-sql");
	}

	@Test
	void unknownTargetsTenantsAndPartsAre404() {
		Response unknownTarget = this.app.get("/actuator/migrations/targets/shipping");
		assertThat(unknownTarget.status()).isEqualTo(404);
		assertThat(unknownTarget.json().path("error").asString())
			.isEqualTo("There is no migration target named shipping.");
		assertThat(unknownTarget.json().path("action").asString()).startsWith("Name one of the configured targets: ")
			.contains("default", "billing", "tenants");
		Response unknownTenant = this.app.get("/actuator/migrations/targets/tenants/tenant_99");
		assertThat(unknownTenant.status()).isEqualTo(404);
		assertThat(unknownTenant.json().path("error").asString()).contains("tenant_99");
		assertThat(this.app.get("/actuator/migrations/targets/tenants/tenant_99/history").status()).isEqualTo(404);
		assertThat(this.app.get("/actuator/migrations/targets/tenants/tenant_01/nonsense").status()).isEqualTo(404);
		assertThat(this.app.get("/actuator/migrations/targets/billing/nonsense").status()).isEqualTo(404);
		assertThat(this.app.get("/actuator/migrations/targets/billing/tenant_01/history").status()).isEqualTo(404);
		assertThat(this.app.get("/actuator/migrations/nonsense/billing").status()).isEqualTo(404);
		assertThat(this.app.get("/actuator/migrations/nonsense").status()).isEqualTo(404);
	}

	@Test
	void databaseTenantsShowTheirDatabaseWithoutCredentials() {
		TestDatabase db = TestDatabases.create();
		TestDatabase shard1 = TestDatabases.create();
		TestDatabase shard2 = TestDatabases.create();
		String secret = "ApplicationName=lockstep&password=" + shard1.password();
		try (RunningApp shards = RunningApp.start(db,
				"migrations.targets.shards.change-log=classpath:db/billing/changelog.yaml",
				"migrations.targets.shards.user=" + shard1.user(),
				"migrations.targets.shards.password=" + shard1.password(),
				"migrations.targets.shards.tenants.schemas=" + shard1.url() + "?" + secret + "," + shard2.url())) {
			Response response = shards.get("/actuator/migrations/targets/shards");
			assertThat(response.status()).as(response.body()).isEqualTo(200);
			assertThat(response.body()).doesNotContain("password", "ApplicationName");
			JsonNode list = response.json().path("tenantList");
			assertThat(list).hasSize(2);
			for (JsonNode tenant : list) {
				String id = tenant.path("id").asString();
				assertThat(tenant.has("schema")).isFalse();
				assertThat(tenant.path("database").asString()).startsWith("jdbc:postgresql://").endsWith("/" + id);
				assertThat(tenant.path("state").asString()).isEqualTo("UP_TO_DATE");
			}
			// Both up to date: by id.
			assertThat(List.of(list.get(0).path("id").asString(), list.get(1).path("id").asString()))
				.isSorted()
				.containsExactlyInAnyOrder(shard1.name(), shard2.name());
			JsonNode tenant = shards.json("/actuator/migrations/targets/shards/" + shard1.name());
			assertThat(tenant.path("database").path("url").asString()).endsWith("/" + shard1.name());
			assertThat(tenant.path("appliedCount").asInt()).isEqualTo(1);
			assertThat(shards.json("/actuator/migrations").path("targets").path("shards"))
				.isEqualTo(RunningApp.parse("{\"state\": \"UP_TO_DATE\", \"tenants\": {\"UP_TO_DATE\": 2}}"));
		}
	}

	@Test
	void tenantsThatCannotBeListedAre503NotAnUnknownTenant() {
		TestDatabase db = TestDatabases.create();
		db.execute("CREATE TABLE tenant_list (schema_name text); INSERT INTO tenant_list VALUES ('tenant_a'), ('tenant_b')");
		try (RunningApp listed = RunningApp.start(db,
				"migrations.targets.tenants.change-log=classpath:db/tenants/changelog.yaml",
				"migrations.targets.tenants.tenants.query=SELECT schema_name FROM tenant_list ORDER BY 1")) {
			assertThat(listed.json("/actuator/migrations/targets/tenants").path("tenantCount").asInt()).isEqualTo(2);
			db.execute("DROP TABLE tenant_list");
			// A tenant not listed before makes the target list its tenants again: the query now fails.
			Response unlisted = listed.get("/actuator/migrations/targets/tenants/tenant_c");
			assertThat(unlisted.status()).as(unlisted.body()).isEqualTo(503);
			assertThat(unlisted.json().path("state").asString()).isEqualTo("UNAVAILABLE");
			assertThat(unlisted.json().path("error").asString()).contains("tenant_list");
			// The tenants listed before are still served.
			assertThat(listed.json("/actuator/migrations/targets/tenants/tenant_a").path("state").asString())
				.isEqualTo("UP_TO_DATE");
		}
	}

	private JsonNode capture(String path, String file) {
		Response response = this.app.get(path);
		assertThat(response.status()).as(path + ": " + response.body()).isEqualTo(200);
		try {
			Path captured = Path.of("target", "captured");
			Files.createDirectories(captured);
			Files.writeString(captured.resolve(file), RunningApp.pretty(response.body()));
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
		return response.json();
	}

	private static List<String> fieldNames(JsonNode node) {
		return new ArrayList<>(node.propertyNames());
	}

	private static List<String> withTargetsInsteadOfTarget(List<String> names) {
		List<String> expected = new ArrayList<>(names);
		expected.remove("target");
		expected.add("targets");
		return expected;
	}

}
