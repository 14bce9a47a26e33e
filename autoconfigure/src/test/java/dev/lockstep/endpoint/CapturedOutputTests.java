package dev.lockstep.endpoint;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;

import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

import dev.lockstep.test.RunningApp;
import dev.lockstep.test.RunningApp.Response;
import dev.lockstep.test.TestDatabase;
import dev.lockstep.test.TestDatabases;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Captures real output of {@code /actuator/migrations}, {@code /history}, {@code /pending} and
 * {@code /actuator/health} into {@code target/captured/*.json} for the README, from a release sequence as
 * operators see it from a {@code report}-mode replica: 1.0.0 applied and tagged, 1.1.0 pending, 1.1.0 applied by
 * a migration job, 1.2.0's job failing on existing rows.
 */
class CapturedOutputTests {

	private static final Path CAPTURED = Path.of("target", "captured");

	private static final String V1_0 = "migrations.change-log=classpath:db/shop/v1.0.0.yaml";

	private static final String V1_1 = "migrations.change-log=classpath:db/shop/db.changelog-master.yaml";

	private static final String V1_2 = "migrations.change-log=classpath:db/shop/v1.2.0.yaml";

	@Test
	void captureEndpointAndHealthOutput() throws IOException {
		Files.createDirectories(CAPTURED);
		TestDatabase db = TestDatabases.create();
		RunningApp.startInstance(db, V1_0, "migrations.tag=v1.0.0", "spring.application.name=shop").close();
		try (RunningApp replica = RunningApp.start(db, V1_1, "migrations.mode=report", "spring.application.name=shop",
				"migrations.status.cache-ttl=1s")) {
			JsonNode pending = capture(replica, "/actuator/migrations", "migrations-pending.json", 200);
			assertThat(pending.path("state").asString()).isEqualTo("PENDING");
			assertThat(capture(replica, "/actuator/migrations/pending", "pending.json", 200).path("count").asInt())
				.isEqualTo(2);
			capture(replica, "/actuator/health", "health-pending.json", 503);

			RunningApp.startInstance(db, V1_1, "migrations.tag=v1.1.0", "spring.application.name=shop-migrate")
				.close();
			await().atMost(Duration.ofSeconds(5))
				.until(() -> replica.json("/actuator/migrations").path("state").asString().equals("UP_TO_DATE"));
			JsonNode upToDate = capture(replica, "/actuator/migrations", "migrations.json", 200);
			assertThat(upToDate.path("current").path("tag").asString()).isEqualTo("v1.1.0");
			assertThat(upToDate.path("lastRun").path("applied").asInt()).isEqualTo(2);
			JsonNode history = capture(replica, "/actuator/migrations/history", "history.json", 200);
			assertThat(history.path("changeSets").get(0).path("id").asString())
				.isEqualTo("2024-06-index-orders-customer");
			capture(replica, "/actuator/health", "health.json", 200);
		}

		db.execute("INSERT INTO customers (name) VALUES ('Zoe, who never gave an email')");
		RunningApp.failToStart(db, V1_2, "spring.application.name=shop-migrate");
		try (RunningApp replica = RunningApp.start(db, V1_2, "migrations.mode=report",
				"spring.application.name=shop")) {
			JsonNode failed = capture(replica, "/actuator/migrations", "migrations-failed.json", 200);
			assertThat(failed.path("state").asString()).isEqualTo("FAILED");
			assertThat(failed.path("lastRun").path("error").asString()).contains("contains null values");
			capture(replica, "/actuator/health/migrations", "health-failed.json", 503);
		}
	}

	private static JsonNode capture(RunningApp app, String path, String file, int status) throws IOException {
		Response response = app.get(path);
		assertThat(response.status()).as(path + ": " + response.body()).isEqualTo(status);
		Files.writeString(CAPTURED.resolve(file), RunningApp.pretty(response.body()) + "\n");
		return response.json();
	}

}
