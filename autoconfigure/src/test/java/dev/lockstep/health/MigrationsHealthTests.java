package dev.lockstep.health;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

import org.springframework.context.ConfigurableApplicationContext;

import dev.lockstep.test.RunningApp;
import dev.lockstep.test.RunningApp.Response;
import dev.lockstep.test.TestDatabase;
import dev.lockstep.test.TestDatabases;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The {@code migrations} health contributor in the readiness group and with a configured pending status. (Its
 * status and details in every state are checked with the endpoint in {@code MigrationsStateHttpTests}.)
 */
class MigrationsHealthTests {

	private static final String[] READINESS = { "management.endpoint.health.probes.enabled=true",
			"management.endpoint.health.group.readiness.include=readinessState,migrations",
			"management.endpoint.health.group.readiness.show-details=always" };

	@Test
	void reportModeInstanceLeavesReadinessWhilePendingAndReturnsOnceAnotherInstanceApplies() {
		TestDatabase db = TestDatabases.create();
		try (RunningApp app = RunningApp.start(db, with(READINESS, "migrations.mode=report",
				"migrations.status.cache-ttl=200ms"))) {
			Response readiness = app.get("/actuator/health/readiness");
			assertThat(readiness.status()).as(readiness.body()).isEqualTo(503);
			JsonNode body = readiness.json();
			assertThat(body.path("status").asString()).isEqualTo("OUT_OF_SERVICE");
			assertThat(body.path("components").path("migrations").path("details").path("pending").asInt())
				.isEqualTo(3);
			assertThat(body.path("components").path("readinessState").path("status").asString()).isEqualTo("UP");
			// Liveness does not depend on migrations: the instance is not restarted for pending changes.
			assertThat(app.get("/actuator/health/liveness").status()).isEqualTo(200);

			long applied;
			try (ConfigurableApplicationContext migrationJob = RunningApp.startInstance(db, "migrations.mode=apply")) {
				applied = System.nanoTime();
			}
			assertThat(db.count("SELECT count(*) FROM databasechangelog")).isEqualTo(3);
			await().atMost(Duration.ofSeconds(5))
				.pollInterval(Duration.ofMillis(20))
				.until(() -> app.get("/actuator/health/readiness").status() == 200);
			long back = Duration.ofNanos(System.nanoTime() - applied).toMillis();
			System.out.printf("readiness back to UP %d ms after the other instance applied (cache-ttl 200 ms)%n",
					back);
			JsonNode up = app.get("/actuator/health/readiness").json();
			assertThat(up.path("status").asString()).isEqualTo("UP");
			assertThat(up.path("components").path("migrations").path("details").path("state").asString())
				.isEqualTo("UP_TO_DATE");
			assertThat(back).as("within a few cache periods").isLessThan(3000);
		}
	}

	@Test
	void pendingStatusCanBeDown() {
		TestDatabase db = TestDatabases.create();
		try (RunningApp app = RunningApp.start(db, "migrations.mode=report", "migrations.health.pending-status=DOWN")) {
			Response health = app.get("/actuator/health/migrations");
			assertThat(health.status()).isEqualTo(503);
			assertThat(health.json().path("status").asString()).isEqualTo("DOWN");
			assertThat(health.json().path("details").path("state").asString()).isEqualTo("PENDING");
			assertThat(app.get("/actuator/health").json().path("status").asString()).isEqualTo("DOWN");
		}
	}

	@Test
	void pendingStatusCanBeACustomStatusMappedByTheUser() {
		TestDatabase db = TestDatabases.create();
		try (RunningApp app = RunningApp.start(db, "migrations.mode=report",
				"migrations.health.pending-status=MIGRATIONS_PENDING",
				"management.endpoint.health.status.order=DOWN,OUT_OF_SERVICE,MIGRATIONS_PENDING,UNKNOWN,UP",
				"management.endpoint.health.status.http-mapping.MIGRATIONS_PENDING=200")) {
			Response health = app.get("/actuator/health/migrations");
			assertThat(health.status()).isEqualTo(200);
			assertThat(health.json().path("status").asString()).isEqualTo("MIGRATIONS_PENDING");
		}
	}

	@Test
	void upToDateInstanceIsReady() {
		TestDatabase db = TestDatabases.create();
		try (RunningApp app = RunningApp.start(db, READINESS)) {
			Response readiness = app.get("/actuator/health/readiness");
			assertThat(readiness.status()).isEqualTo(200);
			assertThat(readiness.json().path("components").path("migrations").path("status").asString())
				.isEqualTo("UP");
		}
	}

	@Test
	void detailsFollowTheEndpointsShowDetailsSetting() {
		TestDatabase db = TestDatabases.create();
		try (RunningApp app = RunningApp.start(db, "management.endpoint.health.show-details=never")) {
			JsonNode health = app.get("/actuator/health").json();
			assertThat(health.path("status").asString()).isEqualTo("UP");
			assertThat(health.has("components")).isFalse();
			assertThat(app.get("/actuator/health/migrations").json().has("details")).isFalse();
		}
	}

	private static String[] with(String[] properties, String... more) {
		List<String> all = new ArrayList<>(List.of(properties));
		all.addAll(List.of(more));
		return all.toArray(String[]::new);
	}

}
