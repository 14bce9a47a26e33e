package dev.lockstep.endpoint;

import java.net.URI;
import java.net.http.HttpRequest;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;

import dev.lockstep.test.ChangeLogFile;
import dev.lockstep.test.RunningApp;
import dev.lockstep.test.RunningApp.Response;
import dev.lockstep.test.TestDatabase;
import dev.lockstep.test.TestDatabases;
import dev.lockstep.core.test.ThreadPerTask;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * {@code POST /actuator/migrations} cannot be triggered by accident or from a browser: only {@code application/json}
 * requests reach it, and one apply runs at a time.
 */
class MigrationsWriteProtectionTests {

	@TempDir
	Path dir;

	@Test
	void onlyJsonRequestsApply() {
		TestDatabase db = TestDatabases.create();
		// The blanket default opens the write operation too (the README says so).
		try (RunningApp app = RunningApp.start(db, "migrations.mode=report",
				"management.endpoints.access.default=unrestricted")) {
			Response form = post(app, "application/x-www-form-urlencoded", "apply=yes");
			assertThat(form.status()).as(form.body()).isEqualTo(415);
			Response text = post(app, "text/plain", "apply");
			assertThat(text.status()).as(text.body()).isEqualTo(415);
			Response bare = RunningApp.send(HttpRequest.newBuilder(uri(app))
				.POST(HttpRequest.BodyPublishers.noBody())
				.build());
			assertThat(bare.status()).as(bare.body()).isEqualTo(415);
			assertThat(db.tableExists("databasechangelog")).as("nothing was applied").isFalse();
			assertThat(app.json("/actuator/migrations").path("state").asString()).isEqualTo("PENDING");

			Response json = post(app, "application/json", "{\"reason\": \"ticket OPS-42\"}");
			assertThat(json.status()).as(json.body()).isEqualTo(200);
			assertThat(json.json().path("state").asString()).isEqualTo("UP_TO_DATE");
			assertThat(db.count("SELECT count(*) FROM databasechangelog")).isEqualTo(3);
		}
	}

	@Test
	void jsonWithoutABodyApplies() {
		TestDatabase db = TestDatabases.create();
		try (RunningApp app = RunningApp.start(db, "migrations.mode=report",
				"management.endpoint.migrations.access=unrestricted")) {
			Response response = RunningApp.send(HttpRequest.newBuilder(uri(app))
				.header("Content-Type", "application/json")
				.POST(HttpRequest.BodyPublishers.noBody())
				.build());
			assertThat(response.status()).as(response.body()).isEqualTo(200);
			assertThat(response.json().path("state").asString()).isEqualTo("UP_TO_DATE");
		}
	}

	@Test
	void aSecondApplyWhileTheFirstRunsIsRefusedWithConflict() throws Exception {
		TestDatabase db = TestDatabases.create();
		ChangeLogFile changeLog = ChangeLogFile.in(this.dir).write(ChangeLogFile.sleeping("1-slow", 5));
		try (RunningApp app = RunningApp.start(db, changeLog.property(), "migrations.mode=report",
				"management.endpoint.migrations.access=unrestricted")) {
			CompletableFuture<Response> first = CompletableFuture.supplyAsync(() -> app.post("/actuator/migrations"),
					ThreadPerTask.EXECUTOR);
			await().atMost(Duration.ofSeconds(30))
				.until(() -> db.count("SELECT count(*) FROM pg_stat_activity WHERE datname = current_database()"
						+ " AND query LIKE 'SELECT pg_sleep%'") > 0);
			Response second = app.post("/actuator/migrations");
			assertThat(second.status()).as(second.body()).isEqualTo(409);
			JsonNode conflict = second.json();
			assertThat(conflict.path("state").asString()).isEqualTo("MIGRATING");
			assertThat(conflict.path("error").asString()).contains("already in progress");
			assertThat(conflict.path("action").asString()).contains("Wait for it to finish");
			assertThat(first.isDone()).as("the second request did not wait for the first").isFalse();

			Response firstResponse = first.get(60, TimeUnit.SECONDS);
			assertThat(firstResponse.status()).as(firstResponse.body()).isEqualTo(200);
			assertThat(firstResponse.json().path("state").asString()).isEqualTo("UP_TO_DATE");
			assertThat(firstResponse.json().path("lastRun").path("applied").asInt()).isEqualTo(1);
			assertThat(db.count("SELECT count(*) FROM databasechangelog")).isEqualTo(1);
			// Once the first is over, applying is possible again.
			assertThat(app.post("/actuator/migrations").status()).isEqualTo(200);
		}
	}

	private static Response post(RunningApp app, String contentType, String body) {
		return RunningApp.send(HttpRequest.newBuilder(uri(app))
			.header("Content-Type", contentType)
			.POST(HttpRequest.BodyPublishers.ofString(body))
			.build());
	}

	private static URI uri(RunningApp app) {
		return URI.create("http://localhost:" + app.port() + "/actuator/migrations");
	}

}
