package dev.lockstep.endpoint;

import java.nio.file.Path;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;

import dev.lockstep.test.ChangeLogFile;
import dev.lockstep.test.RunningApp;
import dev.lockstep.test.RunningApp.Response;
import dev.lockstep.test.TestDatabase;
import dev.lockstep.test.TestDatabases;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Who may do what with {@code /actuator/migrations}, and where it is served.
 */
class MigrationsEndpointAccessTests {

	@TempDir
	Path dir;

	@Test
	void writeAccessIsNotGrantedByDefault() {
		TestDatabase db = TestDatabases.create();
		try (RunningApp app = RunningApp.start(db, "migrations.mode=report")) {
			Response post = app.post("/actuator/migrations");
			assertThat(post.status()).as(post.body()).isIn(404, 405);
			assertThat(db.tableExists("databasechangelog")).as("nothing was applied").isFalse();
			assertThat(app.json("/actuator/migrations").path("state").asString()).isEqualTo("PENDING");
		}
	}

	@Test
	void readOnlyAccessRefusesWritesEvenWhenEverythingElseIsUnrestricted() {
		TestDatabase db = TestDatabases.create();
		try (RunningApp app = RunningApp.start(db, "migrations.mode=report",
				"management.endpoints.access.default=unrestricted", "management.endpoint.migrations.access=read-only")) {
			assertThat(app.post("/actuator/migrations").status()).isIn(404, 405);
			assertThat(db.tableExists("databasechangelog")).isFalse();
		}
	}

	@Test
	void noAccessRemovesTheEndpoint() {
		TestDatabase db = TestDatabases.create();
		try (RunningApp app = RunningApp.start(db, "migrations.mode=report",
				"management.endpoint.migrations.access=none")) {
			assertThat(app.get("/actuator/migrations").status()).isEqualTo(404);
			assertThat(app.get("/actuator/migrations/pending").status()).isEqualTo(404);
			// The health contributor does not depend on the endpoint.
			assertThat(app.get("/actuator/health/migrations").json().path("status").asString())
				.isEqualTo("OUT_OF_SERVICE");
		}
	}

	@Test
	void unrestrictedAccessAppliesPendingChangesetsOnPost() {
		TestDatabase db = TestDatabases.create();
		try (RunningApp app = RunningApp.start(db, "migrations.mode=report",
				"management.endpoint.migrations.access=unrestricted")) {
			assertThat(app.json("/actuator/migrations").path("state").asString()).isEqualTo("PENDING");
			Response post = app.post("/actuator/migrations");
			assertThat(post.status()).as(post.body()).isEqualTo(200);
			JsonNode applied = post.json();
			assertThat(applied.path("state").asString()).isEqualTo("UP_TO_DATE");
			assertThat(applied.path("mode").asString()).isEqualTo("report");
			assertThat(applied.path("appliedCount").asInt()).isEqualTo(3);
			assertThat(applied.path("lastRun").path("outcome").asString()).isEqualTo("SUCCESS");
			assertThat(applied.path("lastRun").path("applied").asInt()).isEqualTo(3);
			assertThat(applied.path("lastRun").path("mode").asString()).isEqualTo("apply");
			assertThat(db.count("SELECT count(*) FROM databasechangelog")).isEqualTo(3);
			assertThat(db.tableExists("customers")).isTrue();
			// The cached status was dropped: every reader sees the new state at once.
			assertThat(app.json("/actuator/migrations").path("state").asString()).isEqualTo("UP_TO_DATE");
			assertThat(app.get("/actuator/health/migrations").status()).isEqualTo(200);
			// Nothing left to do: a second POST changes nothing.
			JsonNode again = app.post("/actuator/migrations").json();
			assertThat(again.path("appliedCount").asInt()).isEqualTo(3);
			assertThat(again.path("lastRun").path("applied").asInt()).isZero();
		}
	}

	@Test
	void failedPostAnswersWithTheFailure() {
		TestDatabase db = TestDatabases.create();
		ChangeLogFile changeLog = ChangeLogFile.in(this.dir).write(ChangeLogFile.CUSTOMERS, ChangeLogFile.BROKEN);
		try (RunningApp app = RunningApp.start(db, changeLog.property(), "migrations.mode=report",
				"management.endpoint.migrations.access=unrestricted")) {
			Response post = app.post("/actuator/migrations");
			assertThat(post.status()).as(post.body()).isEqualTo(500);
			JsonNode failed = post.json();
			assertThat(failed.path("state").asString()).isEqualTo("FAILED");
			assertThat(failed.path("appliedCount").asInt()).isEqualTo(1);
			assertThat(failed.path("lastRun").path("outcome").asString()).isEqualTo("FAILED");
			assertThat(failed.path("lastRun").path("error").asString()).contains("3-broken::ben", "no_such_table");
			assertThat(app.json("/actuator/migrations").path("state").asString()).isEqualTo("FAILED");
		}
	}

	@Test
	void eachApplyRunHasADeploymentIdOfItsOwn() {
		TestDatabase db = TestDatabases.create();
		ChangeLogFile changeLog = ChangeLogFile.in(this.dir).write(ChangeLogFile.CUSTOMERS);
		changeLog.applyTo(db);
		changeLog.write(ChangeLogFile.CUSTOMERS, ChangeLogFile.ORDERS);
		try (RunningApp app = RunningApp.start(db, changeLog.property(), "migrations.mode=report",
				"management.endpoint.migrations.access=unrestricted")) {
			JsonNode applied = app.post("/actuator/migrations").json();
			assertThat(applied.path("state").asString()).isEqualTo("UP_TO_DATE");
			// Runs in one JVM (here: an earlier run and the endpoint's) are told apart in the history.
			List<List<String>> rows = db.rows("SELECT id, deployment_id FROM databasechangelog ORDER BY orderexecuted");
			assertThat(rows.get(1).get(1)).isNotEqualTo(rows.get(0).get(1));
			assertThat(applied.path("current").path("deploymentId").asString()).isEqualTo(rows.get(1).get(1));
		}
	}

	@Test
	void servedOnASeparateManagementPortWithAnotherBasePath() {
		TestDatabase db = TestDatabases.create();
		try (RunningApp app = RunningApp.start(db, "management.server.port=0",
				"management.endpoints.web.base-path=/manage")) {
			int management = app.managementPort();
			assertThat(management).isNotEqualTo(app.port());
			Response status = app.get(management, "/manage/migrations");
			assertThat(status.status()).as(status.body()).isEqualTo(200);
			assertThat(status.json().path("state").asString()).isEqualTo("UP_TO_DATE");
			assertThat(app.get(management, "/manage/migrations/history").json().path("appliedCount").asInt())
				.isEqualTo(3);
			assertThat(app.get(management, "/manage/migrations/pending").json().path("count").asInt()).isZero();
			assertThat(app.get(management, "/manage/health/migrations").json().path("status").asString())
				.isEqualTo("UP");
			assertThat(app.get(app.port(), "/manage/migrations").status()).isEqualTo(404);
			assertThat(app.get(app.port(), "/actuator/migrations").status()).isEqualTo(404);
		}
	}

	@Test
	void servedOnTheManagementPortUnderTheDefaultBasePath() {
		TestDatabase db = TestDatabases.create();
		try (RunningApp app = RunningApp.start(db, "management.server.port=0", "migrations.mode=report")) {
			int management = app.managementPort();
			assertThat(app.get(management, "/actuator/migrations").json().path("state").asString())
				.isEqualTo("PENDING");
			assertThat(app.get(management, "/actuator/migrations/pending").json().path("count").asInt())
				.isEqualTo(3);
			assertThat(app.get(app.port(), "/actuator/migrations").status()).isEqualTo(404);
		}
	}

	@Test
	void servedUnderAnotherBasePathOnTheMainPort() {
		TestDatabase db = TestDatabases.create();
		try (RunningApp app = RunningApp.start(db, "management.endpoints.web.base-path=/manage")) {
			assertThat(app.json("/manage/migrations").path("state").asString()).isEqualTo("UP_TO_DATE");
			assertThat(app.json("/manage/migrations/history").path("changeSets")).hasSize(3);
			assertThat(app.json("/manage/health/migrations").path("status").asString()).isEqualTo("UP");
			assertThat(app.get("/actuator/migrations").status()).isEqualTo(404);
		}
	}

}
