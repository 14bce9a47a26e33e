package dev.lockstep.health;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

import dev.lockstep.test.RunningApp;
import dev.lockstep.test.RunningApp.Response;
import dev.lockstep.test.TestDatabase;
import dev.lockstep.test.TestDatabases;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Health with named targets: {@code migrations} has one component per target, a target with tenants is one
 * component with its tenants counted, each target has its own pending status, and a readiness group that includes
 * {@code migrations} (as the README advises) waits for every target, also with migrations switched off.
 */
class MigrationsTargetsHealthTests {

	private static final String[] READINESS = { "management.endpoint.health.probes.enabled=true",
			"management.endpoint.health.group.readiness.include=readinessState,migrations",
			"management.endpoint.health.group.readiness.show-details=always" };

	@Test
	void aFailedTenantTakesItsTargetMigrationsAndReadinessDown() throws IOException {
		TestDatabase orders = TestDatabases.create();
		TestDatabase billing = TestDatabases.create();
		orders.execute("CREATE SCHEMA tenant_02; CREATE TABLE tenant_02.notes (something_else int)");
		try (RunningApp app = RunningApp.start(orders, with(with(READINESS, targets(billing,
				"tenant_01,tenant_02,tenant_03,tenant_04")), "migrations.targets.tenants.tenants.on-failure=continue"))) {
			Response migrations = app.get("/actuator/health/migrations");
			assertThat(migrations.status()).as(migrations.body()).isEqualTo(503);
			JsonNode health = migrations.json();
			assertThat(health.path("status").asString()).isEqualTo("DOWN");
			assertThat(health.path("components").propertyNames()).containsExactlyInAnyOrder("default", "billing",
					"tenants");
			JsonNode defaultTarget = health.path("components").path("default");
			assertThat(defaultTarget.path("status").asString()).isEqualTo("UP");
			assertThat(defaultTarget.path("details").path("state").asString()).isEqualTo("UP_TO_DATE");
			assertThat(defaultTarget.path("details").path("current").asString()).startsWith("3-add-email::");
			JsonNode billingTarget = health.path("components").path("billing");
			assertThat(billingTarget.path("status").asString()).isEqualTo("UP");
			assertThat(billingTarget.path("details").path("current").asString()).startsWith("1-");
			assertThat(health.path("components").path("tenants")).isEqualTo(RunningApp.parse("""
					{"status": "DOWN",
					 "details": {"state": "FAILED", "tenantCount": 4, "tenants": {"FAILED": 1, "UP_TO_DATE": 3},
					             "failed": 1, "failedTenants": ["tenant_02"]}}"""));
			capture("targets-health.json", migrations.body());

			assertThat(app.get("/actuator/health/migrations/tenants").status()).isEqualTo(503);
			Response billingHealth = app.get("/actuator/health/migrations/billing");
			assertThat(billingHealth.status()).isEqualTo(200);
			assertThat(billingHealth.json()).isEqualTo(billingTarget);
			assertThat(app.get("/actuator/health/migrations/shipping").status()).isEqualTo(404);

			Response readiness = app.get("/actuator/health/readiness");
			assertThat(readiness.status()).as(readiness.body()).isEqualTo(503);
			JsonNode ready = readiness.json();
			assertThat(ready.path("status").asString()).isEqualTo("DOWN");
			assertThat(ready.path("components").path("readinessState").path("status").asString()).isEqualTo("UP");
			assertThat(ready.path("components").path("migrations").path("components").path("tenants").path("status")
				.asString()).isEqualTo("DOWN");
			assertThat(app.get("/actuator/health/liveness").status()).isEqualTo(200);
		}
	}

	@Test
	void eachTargetMapsPendingToItsOwnPendingStatus() {
		TestDatabase orders = TestDatabases.create();
		TestDatabase billing = TestDatabases.create();
		try (RunningApp app = RunningApp.start(orders, with(with(READINESS, targets(billing, "tenant_01,tenant_02")),
				"migrations.targets.billing.mode=report", "migrations.targets.billing.health.pending-status=UP",
				"migrations.targets.tenants.mode=report"))) {
			JsonNode health = app.get("/actuator/health/migrations").json();
			JsonNode billingTarget = health.path("components").path("billing");
			// billing's own pending status: pending, yet UP.
			assertThat(billingTarget.path("status").asString()).isEqualTo("UP");
			assertThat(billingTarget.path("details").path("state").asString()).isEqualTo("PENDING");
			assertThat(billingTarget.path("details").path("pending").asInt()).isEqualTo(1);
			// tenants inherits migrations.health.pending-status (OUT_OF_SERVICE).
			JsonNode tenants = health.path("components").path("tenants");
			assertThat(tenants.path("status").asString()).isEqualTo("OUT_OF_SERVICE");
			assertThat(tenants.path("details").path("tenants")).isEqualTo(RunningApp.parse("{\"PENDING\": 2}"));
			assertThat(tenants.path("details").has("failedTenants")).isFalse();
			assertThat(health.path("status").asString()).isEqualTo("OUT_OF_SERVICE");

			Response readiness = app.get("/actuator/health/readiness");
			assertThat(readiness.status()).as(readiness.body()).isEqualTo(503);
			assertThat(readiness.json().path("status").asString()).isEqualTo("OUT_OF_SERVICE");
		}
	}

	@Test
	void switchedOffWithTargetsConfiguredTheReadinessGroupIsUpAndNothingIsTouched() {
		TestDatabase orders = TestDatabases.create();
		TestDatabase billing = TestDatabases.create();
		try (RunningApp app = RunningApp.start(orders, with(with(READINESS, "migrations.enabled=false"),
				targets(billing, "tenant_01,tenant_02")))) {
			Response readiness = app.get("/actuator/health/readiness");
			assertThat(readiness.status()).as(readiness.body()).isEqualTo(200);
			assertThat(readiness.json().path("components").path("migrations")).isEqualTo(RunningApp.parse("""
					{"status": "UP", "details": {"state": "DISABLED"}}"""));
			JsonNode disabled = RunningApp.parse("{\"state\":\"DISABLED\"}");
			assertThat(app.json("/actuator/migrations")).isEqualTo(disabled);
			assertThat(app.json("/actuator/migrations/targets/billing")).isEqualTo(disabled);
			assertThat(app.json("/actuator/migrations/targets/tenants")).isEqualTo(disabled);
			assertThat(app.json("/actuator/migrations/targets/tenants/tenant_01")).isEqualTo(disabled);
			assertThat(app.json("/actuator/migrations/targets/tenants/tenant_01/history")).isEqualTo(disabled);
			assertThat(app.get("/actuator/migrations/targets/shipping").status()).isEqualTo(404);
			assertThat(app.get("/actuator/migrations/targets/tenants/tenant_01/nonsense").status()).isEqualTo(404);
			assertThat(orders.count("SELECT count(*) FROM information_schema.schemata WHERE schema_name LIKE 'tenant%'"))
				.isZero();
			assertThat(orders.tableExists("databasechangelog")).isFalse();
			assertThat(billing.tableExists("databasechangelog")).isFalse();
		}
	}

	private static String[] targets(TestDatabase billing, String schemas) {
		return new String[] { "migrations.targets.billing.url=" + billing.url(),
				"migrations.targets.billing.change-log=classpath:db/billing/changelog.yaml",
				"migrations.targets.tenants.change-log=classpath:db/tenants/changelog.yaml",
				"migrations.targets.tenants.tenants.schemas=" + schemas };
	}

	private static String[] with(String[] properties, String... more) {
		List<String> all = new ArrayList<>(List.of(properties));
		all.addAll(List.of(more));
		return all.toArray(String[]::new);
	}

	private static void capture(String file, String body) throws IOException {
		Path captured = Path.of("target", "captured");
		Files.createDirectories(captured);
		Files.writeString(captured.resolve(file), RunningApp.pretty(body));
	}

}
