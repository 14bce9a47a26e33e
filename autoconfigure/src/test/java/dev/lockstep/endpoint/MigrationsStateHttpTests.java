package dev.lockstep.endpoint;

import java.net.ServerSocket;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.TimeZone;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;

import dev.lockstep.test.ChangeLogFile;
import dev.lockstep.core.test.HeldLock;
import dev.lockstep.test.RunningApp;
import dev.lockstep.test.RunningApp.Response;
import dev.lockstep.test.TestDatabase;
import dev.lockstep.test.TestDatabases;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Every {@code state} of {@code GET /actuator/migrations}, reached with real databases and real HTTP requests,
 * together with the {@code migrations} health contributor in that state.
 */
class MigrationsStateHttpTests {

	@TempDir
	Path dir;

	@Test
	void upToDateAfterApplyingAtStartup() {
		TestDatabase db = TestDatabases.create();
		try (RunningApp app = RunningApp.start(db, "migrations.tag=v1.0.0")) {
			JsonNode status = app.json("/actuator/migrations");
			assertDocumentShape(status);
			assertThat(status.path("state").asString()).isEqualTo("UP_TO_DATE");
			assertThat(status.path("mode").asString()).isEqualTo("apply");
			assertThat(status.path("changeLog").asString()).isEqualTo("db/changelog/db.changelog-master.yaml");
			JsonNode database = status.path("database");
			assertThat(database.path("product").asString()).isEqualTo("PostgreSQL");
			// The server the build asked for (-Ppostgres-14/-18; 17 by default).
			assertThat(database.path("version").asString())
				.startsWith(System.getProperty("lockstep.test.postgres.major", "17") + ".");
			assertThat(database.path("url").asString()).isEqualTo(db.url());
			assertThat(database.path("schema").asString()).isEqualTo("public");
			JsonNode current = status.path("current");
			assertThat(current.path("id").asString()).isEqualTo("3-add-email");
			assertThat(current.path("author").asString()).isEqualTo("ben");
			assertThat(current.path("changeLog").asString()).isEqualTo("db/changelog/db.changelog-master.yaml");
			assertThat(current.path("tag").asString()).isEqualTo("v1.0.0");
			assertThat(Instant.parse(current.path("appliedAt").asString())).isBefore(Instant.now().plusSeconds(1));
			assertThat(current.path("deploymentId").asString()).isNotBlank();
			assertThat(status.path("appliedCount").asInt()).isEqualTo(3);
			assertThat(status.path("pending")).isEmpty();
			assertThat(status.path("unexpected")).isEmpty();
			assertThat(status.path("checksumMismatches")).isEmpty();
			assertThat(status.path("lock").path("held").asBoolean()).isFalse();
			JsonNode lastRun = status.path("lastRun");
			assertThat(lastRun.path("outcome").asString()).isEqualTo("SUCCESS");
			assertThat(lastRun.path("applied").asInt()).isEqualTo(3);
			assertThat(lastRun.path("mode").asString()).isEqualTo("apply");
			Instant started = Instant.parse(lastRun.path("startedAt").asString());
			Instant finished = Instant.parse(lastRun.path("finishedAt").asString());
			assertThat(lastRun.path("durationMs").asLong()).isEqualTo(Duration.between(started, finished).toMillis());
			assertThat(lastRun.has("error")).as("null fields are omitted").isFalse();
			assertThat(status.has("error")).isFalse();

			JsonNode history = app.json("/actuator/migrations/history");
			assertThat(history.path("appliedCount").asInt()).isEqualTo(3);
			assertThat(ids(history.path("changeSets"))).containsExactly("3-add-email", "2-create-orders",
					"1-create-customers");
			JsonNode newest = history.path("changeSets").get(0);
			assertThat(newest.path("tag").asString()).isEqualTo("v1.0.0");
			assertThat(newest.path("execType").asString()).isEqualTo("EXECUTED");
			assertThat(newest.path("checksum").asString()).startsWith("9:");
			assertThat(newest.path("orderExecuted").asInt()).isEqualTo(3);

			JsonNode pending = app.json("/actuator/migrations/pending");
			assertThat(pending.path("count").asInt()).isZero();
			assertThat(pending.path("changeSets")).isEmpty();

			assertHealth(app, 200, "UP", "UP_TO_DATE");
			JsonNode details = app.json("/actuator/health/migrations").path("details");
			assertThat(details.path("pending").asInt()).isZero();
			assertThat(details.path("current").asString()).isEqualTo("3-add-email::ben");
			assertThat(details.path("tag").asString()).isEqualTo("v1.0.0");
			assertThat(app.get("/actuator/migrations/nothing-here").status()).isEqualTo(404);
		}
	}

	@Test
	void pendingInReportModeWithChangelogAheadOfDatabase() {
		TestDatabase db = TestDatabases.create();
		ChangeLogFile changeLog = ChangeLogFile.in(this.dir).write(ChangeLogFile.CUSTOMERS, ChangeLogFile.ORDERS);
		changeLog.applyTo(db);
		changeLog.write(ChangeLogFile.CUSTOMERS, ChangeLogFile.ORDERS, ChangeLogFile.EMAIL);
		try (RunningApp app = RunningApp.start(db, changeLog.property(), "migrations.mode=report")) {
			JsonNode status = app.json("/actuator/migrations");
			assertDocumentShape(status);
			assertThat(status.path("state").asString()).isEqualTo("PENDING");
			assertThat(status.path("mode").asString()).isEqualTo("report");
			assertThat(status.path("changeLog").asString()).isEqualTo(changeLog.location());
			assertThat(status.path("appliedCount").asInt()).isEqualTo(2);
			assertThat(status.path("current").path("id").asString()).isEqualTo("2-create-orders");
			assertThat(status.path("current").has("tag")).isFalse();
			JsonNode pending = status.path("pending");
			assertThat(pending).hasSize(1);
			assertThat(pending.get(0).path("id").asString()).isEqualTo("3-add-email");
			assertThat(pending.get(0).path("author").asString()).isEqualTo("ben");
			assertThat(pending.get(0).path("changeLog").asString()).endsWith("db.changelog-master.yaml");
			assertThat(pending.get(0).path("description").asString()).isEqualTo("addColumn tableName=customers");
			assertThat(pending.get(0).path("contexts").asString()).isEmpty();
			assertThat(pending.get(0).path("labels").asString()).isEmpty();
			assertThat(status.path("lock").path("held").asBoolean()).isFalse();
			// The run that applied the first two changesets was recorded by the instance that ran it.
			assertThat(status.path("lastRun").path("outcome").asString()).isEqualTo("SUCCESS");
			assertThat(status.path("lastRun").path("applied").asInt()).isEqualTo(2);

			JsonNode sql = app.json("/actuator/migrations/pending");
			assertThat(sql.path("count").asInt()).isEqualTo(1);
			JsonNode first = sql.path("changeSets").get(0);
			assertThat(first.path("id").asString()).isEqualTo("3-add-email");
			assertThat(first.path("runInTransaction").asBoolean()).isTrue();
			assertThat(strings(first.path("sql"))).containsExactly("ALTER TABLE public.customers ADD email VARCHAR(320)");
			assertThat(ids(app.json("/actuator/migrations/history").path("changeSets")))
				.containsExactly("2-create-orders", "1-create-customers");

			assertHealth(app, 503, "OUT_OF_SERVICE", "PENDING");
			assertThat(app.get("/actuator/health").json().path("components").path("migrations").path("details")
				.path("pending").asInt()).isEqualTo(1);
			assertThat(db.tableExists("customers")).isTrue();
			assertThat(db.count("SELECT count(*) FROM information_schema.columns WHERE column_name = 'email'"))
				.as("report mode changes nothing").isZero();
		}
	}

	@Test
	void pendingOnAnEmptyDatabaseReadsWithoutCreatingTheHistoryTables() {
		TestDatabase db = TestDatabases.create();
		try (RunningApp app = RunningApp.start(db, "migrations.mode=report")) {
			JsonNode status = app.json("/actuator/migrations");
			assertDocumentShape(status);
			assertThat(status.path("state").asString()).isEqualTo("PENDING");
			assertThat(status.path("appliedCount").asInt()).isZero();
			assertThat(status.has("current")).isFalse();
			assertThat(status.has("lastRun")).isFalse();
			assertThat(ids(status.path("pending"))).containsExactly("1-create-customers", "2-create-orders",
					"3-add-email");
			JsonNode sql = app.json("/actuator/migrations/pending").path("changeSets");
			assertThat(String.join("\n", strings(sql.get(0).path("sql"))))
				.startsWith("CREATE TABLE public.customers (id BIGINT GENERATED BY DEFAULT AS IDENTITY NOT NULL");
			assertThat(app.json("/actuator/migrations/history").path("changeSets")).isEmpty();
			assertHealth(app, 503, "OUT_OF_SERVICE", "PENDING");
			assertThat(db.tableExists("databasechangelog")).isFalse();
			assertThat(db.tableExists("databasechangeloglock")).isFalse();
		}
	}

	@Test
	void aheadWhenTheDatabaseHasAChangesetTheChangelogLacks() {
		TestDatabase db = TestDatabases.create();
		ChangeLogFile changeLog = ChangeLogFile.in(this.dir)
			.write(ChangeLogFile.CUSTOMERS, ChangeLogFile.ORDERS, ChangeLogFile.EMAIL);
		changeLog.applyTo(db);
		// The application is rolled back to the version before 3-add-email; apply mode starts anyway.
		changeLog.write(ChangeLogFile.CUSTOMERS, ChangeLogFile.ORDERS);
		try (RunningApp app = RunningApp.start(db, changeLog.property())) {
			JsonNode status = app.json("/actuator/migrations");
			assertDocumentShape(status);
			assertThat(status.path("state").asString()).isEqualTo("AHEAD");
			assertThat(status.path("pending")).isEmpty();
			assertThat(ids(status.path("unexpected"))).containsExactly("3-add-email");
			assertThat(status.path("unexpected").get(0).path("description").asString())
				.isEqualTo("addColumn tableName=customers");
			assertThat(status.path("current").path("id").asString()).isEqualTo("3-add-email");
			assertThat(status.path("appliedCount").asInt()).isEqualTo(3);

			JsonNode health = assertHealth(app, 200, "UP", "AHEAD");
			assertThat(health.path("details").path("unexpected").asInt()).isEqualTo(1);
			assertThat(health.path("details").path("note").asString()).contains("does not declare");
		}
	}

	@Test
	void driftedWhenAnAppliedChangesetWasEdited() {
		TestDatabase db = TestDatabases.create();
		ChangeLogFile changeLog = ChangeLogFile.in(this.dir).write(ChangeLogFile.CUSTOMERS, ChangeLogFile.ORDERS);
		try (RunningApp first = RunningApp.start(db, changeLog.property())) {
			assertThat(first.json("/actuator/migrations").path("state").asString()).isEqualTo("UP_TO_DATE");
		}
		changeLog.write(ChangeLogFile.CUSTOMERS_EDITED, ChangeLogFile.ORDERS);
		try (RunningApp app = RunningApp.start(db, changeLog.property(), "migrations.mode=report")) {
			JsonNode status = app.json("/actuator/migrations");
			assertDocumentShape(status);
			assertThat(status.path("state").asString()).isEqualTo("DRIFTED");
			JsonNode mismatches = status.path("checksumMismatches");
			assertThat(ids(mismatches)).containsExactly("1-create-customers");
			JsonNode mismatch = mismatches.get(0);
			assertThat(mismatch.path("author").asString()).isEqualTo("ana");
			assertThat(mismatch.path("changeLog").asString()).endsWith("db.changelog-master.yaml");
			assertThat(mismatch.path("storedChecksum").asString()).startsWith("9:");
			assertThat(mismatch.path("currentChecksum").asString()).startsWith("9:")
				.isNotEqualTo(mismatch.path("storedChecksum").asString());
			assertThat(status.path("pending")).isEmpty();

			JsonNode health = assertHealth(app, 503, "DOWN", "DRIFTED");
			assertThat(health.path("details").path("checksumMismatches").asInt()).isEqualTo(1);
		}
	}

	@Test
	void failedAfterAnApplyRunFailedElsewhere() {
		TestDatabase db = TestDatabases.create();
		ChangeLogFile changeLog = ChangeLogFile.in(this.dir)
			.write(ChangeLogFile.CUSTOMERS, ChangeLogFile.ORDERS, ChangeLogFile.BROKEN);
		Throwable failure = RunningApp.failToStart(db, changeLog.property());
		assertThat(failure).hasStackTraceContaining("3-broken");
		assertThat(db.count("SELECT count(*) FROM databasechangelog")).isEqualTo(2);
		try (RunningApp app = RunningApp.start(db, changeLog.property(), "migrations.mode=report")) {
			JsonNode status = app.json("/actuator/migrations");
			assertDocumentShape(status);
			assertThat(status.path("state").asString()).isEqualTo("FAILED");
			assertThat(status.path("mode").asString()).isEqualTo("report");
			assertThat(ids(status.path("pending"))).containsExactly("3-broken");
			JsonNode lastRun = status.path("lastRun");
			assertThat(lastRun.path("outcome").asString()).isEqualTo("FAILED");
			assertThat(lastRun.path("mode").asString()).isEqualTo("apply");
			assertThat(lastRun.path("applied").asInt()).isEqualTo(2);
			assertThat(lastRun.path("error").asString()).contains("3-broken::ben")
				.contains("relation \"no_such_table\" does not exist");
			assertThat(Instant.parse(lastRun.path("finishedAt").asString()))
				.isAfterOrEqualTo(Instant.parse(lastRun.path("startedAt").asString()));

			JsonNode health = assertHealth(app, 503, "DOWN", "FAILED");
			assertThat(health.path("details").path("error").asString()).contains("no_such_table");
		}
		// Fixed and applied by the next release: the failure is history.
		changeLog.write(ChangeLogFile.CUSTOMERS, ChangeLogFile.ORDERS, ChangeLogFile.EMAIL);
		changeLog.applyTo(db);
		try (RunningApp app = RunningApp.start(db, changeLog.property(), "migrations.mode=report")) {
			JsonNode status = app.json("/actuator/migrations");
			assertThat(status.path("state").asString()).isEqualTo("UP_TO_DATE");
			assertThat(status.path("lastRun").path("outcome").asString()).isEqualTo("SUCCESS");
			assertThat(status.path("lastRun").path("applied").asInt()).isEqualTo(1);
			assertHealth(app, 200, "UP", "UP_TO_DATE");
		}
	}

	@Test
	void failedRunIsSeenWithItsTimesByAnInstanceInAnotherTimeZone() {
		TestDatabase db = TestDatabases.create();
		ChangeLogFile changeLog = ChangeLogFile.in(this.dir).write(ChangeLogFile.CUSTOMERS, ChangeLogFile.BROKEN);
		TimeZone original = TimeZone.getDefault();
		Instant before = Instant.now();
		try {
			// The migration job runs on a host in Tokyo (UTC+9) ...
			TimeZone.setDefault(TimeZone.getTimeZone("Asia/Tokyo"));
			RunningApp.failToStart(db, changeLog.property());
		}
		finally {
			TimeZone.setDefault(original);
		}
		Instant after = Instant.now();
		// ... a replica in another time zone reads its record.
		TimeZone.setDefault(TimeZone.getTimeZone("America/New_York"));
		try (RunningApp app = RunningApp.start(db, changeLog.property(), "migrations.mode=report")) {
			JsonNode lastRun = app.json("/actuator/migrations").path("lastRun");
			assertThat(lastRun.path("outcome").asString()).isEqualTo("FAILED");
			assertThat(Instant.parse(lastRun.path("startedAt").asString())).isBetween(before, after);
			assertThat(Instant.parse(lastRun.path("finishedAt").asString())).isBetween(before, after);
		}
		finally {
			TimeZone.setDefault(original);
		}
	}

	@Test
	void migratingWhileAnotherInstanceHoldsTheLockWithChangesPending() {
		TestDatabase db = TestDatabases.create();
		ChangeLogFile changeLog = ChangeLogFile.in(this.dir).write(ChangeLogFile.CUSTOMERS);
		changeLog.applyTo(db);
		changeLog.write(ChangeLogFile.CUSTOMERS, ChangeLogFile.ORDERS, ChangeLogFile.EMAIL);
		try (RunningApp app = RunningApp.start(db, changeLog.property(), "migrations.mode=report",
				"migrations.status.cache-ttl=200ms")) {
			try (HeldLock lock = HeldLock.take(db)) {
				await().atMost(Duration.ofSeconds(5))
					.until(() -> app.json("/actuator/migrations").path("state").asString().equals("MIGRATING"));
				JsonNode status = app.json("/actuator/migrations");
				assertDocumentShape(status);
				assertThat(ids(status.path("pending"))).containsExactly("2-create-orders", "3-add-email");
				JsonNode held = status.path("lock");
				assertThat(held.path("held").asBoolean()).isTrue();
				assertThat(held.path("holder").path("application").asString()).isEqualTo("test-holder");
				assertThat(held.path("holder").path("kind").asString()).isEqualTo("advisory");
				assertThat(Instant.parse(held.path("holder").path("since").asString()))
					.isBefore(Instant.now().plusSeconds(1));
				assertHealth(app, 503, "OUT_OF_SERVICE", "MIGRATING");

				// The SQL of the pending changesets is generated without taking or waiting for the lock.
				long start = System.nanoTime();
				JsonNode sql = app.json("/actuator/migrations/pending");
				long millis = Duration.ofNanos(System.nanoTime() - start).toMillis();
				assertThat(ids(sql.path("changeSets"))).containsExactly("2-create-orders", "3-add-email");
				assertThat(String.join("\n", strings(sql.path("changeSets").get(0).path("sql"))))
					.contains("CREATE TABLE public.orders");
				assertThat(millis).as("answered while the lock is held").isLessThan(5000);
				assertThat(HeldLock.isHeld(db)).isTrue();
			}
			await().atMost(Duration.ofSeconds(5))
				.until(() -> app.json("/actuator/migrations").path("state").asString().equals("PENDING"));
			assertThat(app.json("/actuator/migrations").path("lock").path("held").asBoolean()).isFalse();
		}
	}

	@Test
	void unavailableWhenTheDatabaseGoesAwayAfterStartup() {
		TestDatabase db = TestDatabases.create();
		try (RunningApp app = RunningApp.start(db, "migrations.mode=report", "migrations.status.cache-ttl=200ms",
				"spring.datasource.hikari.maximum-pool-size=2")) {
			assertThat(app.json("/actuator/migrations").path("state").asString()).isEqualTo("PENDING");
			db.dropDatabase();
			await().atMost(Duration.ofSeconds(5))
				.until(() -> app.json("/actuator/migrations").path("state").asString().equals("UNAVAILABLE"));
			JsonNode status = app.json("/actuator/migrations");
			assertDocumentShape(status);
			assertThat(status.path("error").asString()).startsWith("Cannot read the database at " + db.url())
				.contains("does not exist");
			assertThat(status.path("database").path("url").asString()).isEqualTo(db.url());
			JsonNode health = assertHealth(app, 503, "DOWN", "UNAVAILABLE");
			assertThat(health.path("details").path("error").asString()).contains("does not exist");
			assertThat(app.json("/actuator/migrations/history").path("changeSets")).isEmpty();
			Response pending = app.get("/actuator/migrations/pending");
			assertThat(pending.status()).isEqualTo(503);
		}
	}

	@Test
	void unavailableWhenTheDatabaseCannotBeReachedAtStartup() throws Exception {
		int closedPort;
		try (ServerSocket socket = new ServerSocket(0)) {
			closedPort = socket.getLocalPort();
		}
		String url = "jdbc:postgresql://localhost:" + closedPort + "/app";
		try (RunningApp app = RunningApp.start(null, "spring.datasource.url=" + url,
				"spring.datasource.username=app", "spring.datasource.password=secret", "migrations.mode=report")) {
			JsonNode status = app.json("/actuator/migrations");
			assertDocumentShape(status);
			assertThat(status.path("state").asString()).isEqualTo("UNAVAILABLE");
			assertThat(status.path("mode").asString()).isEqualTo("report");
			assertThat(status.path("database").path("url").asString()).isEqualTo(url);
			assertThat(status.path("error").asString()).contains("refused");
			assertThat(status.path("appliedCount").asInt()).isZero();
			assertHealth(app, 503, "DOWN", "UNAVAILABLE");
		}
	}

	/** Fields every answer carries, whatever the state. */
	static void assertDocumentShape(JsonNode status) {
		assertThat(status.propertyNames()).contains("state", "mode", "changeLog", "database", "appliedCount",
				"pending", "unexpected", "checksumMismatches", "lock", "checkedAt");
		assertThat(status.path("state").asString()).isIn("UP_TO_DATE", "PENDING", "AHEAD", "DRIFTED", "FAILED",
				"MIGRATING", "UNAVAILABLE");
		assertThat(status.path("pending").isArray()).isTrue();
		assertThat(status.path("unexpected").isArray()).isTrue();
		assertThat(status.path("checksumMismatches").isArray()).isTrue();
		assertThat(status.path("lock").path("held").isBoolean()).isTrue();
		assertThat(Instant.parse(status.path("checkedAt").asString())).isBefore(Instant.now().plusSeconds(1));
	}

	/** Checks {@code /actuator/health/migrations} and returns it. */
	static JsonNode assertHealth(RunningApp app, int httpStatus, String status, String state) {
		Response response = app.get("/actuator/health/migrations");
		assertThat(response.status()).as(response.body()).isEqualTo(httpStatus);
		JsonNode health = response.json();
		assertThat(health.path("status").asString()).isEqualTo(status);
		assertThat(health.path("details").path("state").asString()).isEqualTo(state);
		assertThat(health.path("details").has("pending")).isTrue();
		return health;
	}

	static List<String> ids(JsonNode changeSets) {
		List<String> ids = new ArrayList<>();
		changeSets.forEach((changeSet) -> ids.add(changeSet.path("id").asString()));
		return ids;
	}

	static List<String> strings(JsonNode array) {
		List<String> strings = new ArrayList<>();
		array.forEach((node) -> strings.add(node.asString()));
		return strings;
	}

}
