package dev.lockstep.endpoint;

import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

import dev.lockstep.test.RunningApp;
import dev.lockstep.test.RunningApp.Response;
import dev.lockstep.test.TestDatabase;
import dev.lockstep.test.TestDatabases;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * An application that follows the README (the readiness group includes {@code migrations}) and switches
 * migrations off in one environment: it starts, is ready, and says {@code DISABLED} everywhere, without touching
 * the database.
 */
class MigrationsDisabledHttpTests {

	@Test
	void readinessGroupThatIncludesMigrationsStartsAndIsUp() {
		TestDatabase db = TestDatabases.create();
		try (RunningApp app = RunningApp.start(db, "migrations.enabled=false",
				"management.endpoint.health.probes.enabled=true",
				"management.endpoint.health.group.readiness.include=readinessState,db,migrations")) {
			Response readiness = app.get("/actuator/health/readiness");
			assertThat(readiness.status()).as(readiness.body()).isEqualTo(200);
			JsonNode ready = readiness.json();
			assertThat(ready.path("status").asString()).isEqualTo("UP");
			assertThat(ready.path("components").path("migrations").path("status").asString()).isEqualTo("UP");
			assertThat(ready.path("components").path("migrations").path("details").path("state").asString())
				.isEqualTo("DISABLED");

			JsonNode health = app.json("/actuator/health/migrations");
			assertThat(health.path("status").asString()).isEqualTo("UP");
			assertThat(health.path("details").path("state").asString()).isEqualTo("DISABLED");

			Response status = app.get("/actuator/migrations");
			assertThat(status.status()).isEqualTo(200);
			assertThat(status.json()).isEqualTo(RunningApp.parse("{\"state\":\"DISABLED\"}"));
			// The parts answer the same document: there is no history or pending list to show.
			assertThat(app.json("/actuator/migrations/history")).isEqualTo(status.json());
			assertThat(app.json("/actuator/migrations/pending")).isEqualTo(status.json());
			assertThat(app.json("/actuator/migrations/drift")).isEqualTo(status.json());
			assertThat(app.get("/actuator/migrations/nonsense").status()).isEqualTo(404);

			// No run, no metrics, nothing written.
			assertThat(app.get("/actuator/metrics/migrations.changesets.pending").status()).isEqualTo(404);
			assertThat(db.tableExists("databasechangelog")).isFalse();
			assertThat(db.tableExists("lockstep_last_run")).isFalse();
			assertThat(db.tableExists("customers")).isFalse();
		}
	}

	@Test
	void noApplyWhileDisabledEvenWithUnrestrictedAccess() {
		TestDatabase db = TestDatabases.create();
		try (RunningApp app = RunningApp.start(db, "migrations.enabled=false",
				"management.endpoints.access.default=unrestricted")) {
			Response post = app.post("/actuator/migrations");
			assertThat(post.status()).as(post.body()).isEqualTo(405);
			assertThat(db.tableExists("databasechangelog")).isFalse();
			assertThat(app.json("/actuator/migrations").path("state").asString()).isEqualTo("DISABLED");
		}
	}

}
