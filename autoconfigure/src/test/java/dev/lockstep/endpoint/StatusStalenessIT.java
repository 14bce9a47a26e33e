package dev.lockstep.endpoint;

import java.net.URI;
import java.net.http.HttpRequest;
import java.sql.Connection;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

import dev.lockstep.test.RunningApp;
import dev.lockstep.test.RunningApp.Response;
import dev.lockstep.test.TestDatabase;
import dev.lockstep.test.TestDatabases;
import dev.lockstep.core.test.ThreadPerTask;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The status is never silently stale: a status read that hangs (here: really blocked by a transaction holding an
 * ACCESS EXCLUSIVE lock on DATABASECHANGELOG, as a lost host or a failover would leave it) is bounded by
 * {@code migrations.status.read-timeout}, and when no read succeeded for 3 × {@code cache-ttl} (at least 30 s) the
 * state is {@code UNAVAILABLE} with the age of the last good read, while every request is still answered at once.
 */
class StatusStalenessIT {

	/** A request that takes longer than this queued behind the hung read. */
	private static final Duration QUICK = Duration.ofSeconds(5);

	@Test
	void statusReadBlockedByALockTimesOutAndSaysUnavailableWithTheLastGoodRead() throws Exception {
		TestDatabase db = TestDatabases.create();
		try (RunningApp app = RunningApp.start(db, "migrations.status.cache-ttl=1s",
				"migrations.status.read-timeout=2s")) {
			JsonNode good = get(app, "/actuator/migrations", QUICK).json();
			assertThat(good.path("state").asString()).isEqualTo("UP_TO_DATE");
			Instant goodReadAt = Instant.parse(good.path("checkedAt").asString());
			try (Connection blocker = lockHistory(db)) {
				Thread.sleep(1500);
				// This request's read waits for the lock until the read timeout ends it.
				Response response = get(app, "/actuator/migrations", Duration.ofSeconds(60));
				JsonNode status = response.json();
				assertThat(status.path("state").asString()).as(response.body()).isEqualTo("UNAVAILABLE");
				assertThat(status.path("error").asString()).contains("statement timeout");
				Instant lastGood = Instant.parse(status.path("lastGoodReadAt").asString());
				assertThat(lastGood).isAfterOrEqualTo(goodReadAt).isBefore(Instant.now());
				assertThat(Duration.parse(status.path("staleFor").asString())).isPositive();
				Response health = get(app, "/actuator/health/migrations", QUICK);
				assertThat(health.status()).as(health.body()).isEqualTo(503);
				JsonNode details = health.json().path("details");
				assertThat(health.json().path("status").asString()).isEqualTo("DOWN");
				assertThat(details.path("state").asString()).isEqualTo("UNAVAILABLE");
				assertThat(details.path("lastGoodReadAt").asString()).isEqualTo(lastGood.toString());
				assertThat(details.path("staleFor").asString()).startsWith("PT");
				blocker.rollback();
			}
			await().atMost(Duration.ofSeconds(60))
				.pollInterval(Duration.ofMillis(500))
				.until(() -> get(app, "/actuator/migrations", Duration.ofSeconds(30)).json()
					.path("state")
					.asString()
					.equals("UP_TO_DATE"));
			JsonNode recovered = get(app, "/actuator/migrations", QUICK).json();
			assertThat(recovered.has("lastGoodReadAt")).isFalse();
			assertThat(recovered.has("error")).isFalse();
		}
	}

	@Test
	void readThatHangsWithoutATimeoutTurnsUnavailableAfterThreeTimeToLivesAtLeastThirtySeconds() throws Exception {
		TestDatabase db = TestDatabases.create();
		// No read timeout: nothing ends the read but the lock's release. A time to live of 1 s gives the floor: 30 s.
		try (RunningApp app = RunningApp.start(db, "migrations.status.cache-ttl=1s",
				"migrations.status.read-timeout=0")) {
			JsonNode good = get(app, "/actuator/migrations", QUICK).json();
			assertThat(good.path("state").asString()).isEqualTo("UP_TO_DATE");
			Instant goodReadAt = Instant.parse(good.path("checkedAt").asString());
			CompletableFuture<Response> hung;
			try (Connection blocker = lockHistory(db)) {
				Instant locked = Instant.now();
				Thread.sleep(1500);
				hung = CompletableFuture.supplyAsync(() -> get(app, "/actuator/migrations", Duration.ofMinutes(3)),
						ThreadPerTask.EXECUTOR);
				await().atMost(Duration.ofSeconds(30))
					.until(() -> db.count("SELECT count(*) FROM pg_stat_activity WHERE application_name = "
							+ "'lockstep-status' AND wait_event_type = 'Lock'") > 0);
				// Meanwhile every request is answered at once, first with the last read ...
				assertThat(get(app, "/actuator/migrations", QUICK).json().path("state").asString())
					.isEqualTo("UP_TO_DATE");
				// ... and once no read succeeded for 30 s, with UNAVAILABLE and the age of the last good read.
				await().atMost(Duration.ofSeconds(75))
					.pollInterval(Duration.ofSeconds(1))
					.until(() -> get(app, "/actuator/migrations", QUICK).json()
						.path("state")
						.asString()
						.equals("UNAVAILABLE"));
				assertThat(Duration.between(locked, Instant.now())).isGreaterThanOrEqualTo(Duration.ofSeconds(29));
				JsonNode status = get(app, "/actuator/migrations", QUICK).json();
				assertThat(status.path("error").asString()).contains("No status read has succeeded for");
				assertThat(Instant.parse(status.path("lastGoodReadAt").asString())).isAfterOrEqualTo(goodReadAt)
					.isBefore(locked);
				assertThat(Duration.parse(status.path("staleFor").asString()))
					.isGreaterThanOrEqualTo(Duration.ofSeconds(30));
				Response health = get(app, "/actuator/health/migrations", QUICK);
				assertThat(health.status()).as(health.body()).isEqualTo(503);
				assertThat(health.json().path("details").path("state").asString()).isEqualTo("UNAVAILABLE");
				assertThat(health.json().path("details").path("lastGoodReadAt").asString())
					.isEqualTo(status.path("lastGoodReadAt").asString());
				assertThat(hung).as("the read still hangs on the lock").isNotDone();
				blocker.rollback();
			}
			assertThat(hung.get(60, TimeUnit.SECONDS).json().path("state").asString()).isEqualTo("UP_TO_DATE");
			await().atMost(Duration.ofSeconds(30))
				.until(() -> get(app, "/actuator/migrations", QUICK).json()
					.path("state")
					.asString()
					.equals("UP_TO_DATE"));
		}
	}

	/** A transaction that holds an ACCESS EXCLUSIVE lock on the history table until rolled back or closed. */
	private static Connection lockHistory(TestDatabase db) throws Exception {
		Connection connection = db.connect();
		connection.setAutoCommit(false);
		try (Statement statement = connection.createStatement()) {
			statement.execute("LOCK TABLE databasechangelog IN ACCESS EXCLUSIVE MODE");
		}
		return connection;
	}

	/** A GET that fails when not answered within the given time. */
	private static Response get(RunningApp app, String path, Duration within) {
		return RunningApp.send(HttpRequest.newBuilder(URI.create("http://localhost:" + app.port() + path))
			.timeout(within)
			.GET()
			.build());
	}

}
