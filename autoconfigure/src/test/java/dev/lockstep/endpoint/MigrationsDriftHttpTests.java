package dev.lockstep.endpoint;

import java.time.Duration;
import java.time.Instant;

import io.micrometer.core.instrument.MeterRegistry;
import liquibase.integration.spring.SpringResourceAccessor;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import tools.jackson.databind.JsonNode;

import org.springframework.core.io.DefaultResourceLoader;

import dev.lockstep.core.MigrationEngine;
import dev.lockstep.core.api.MigrationSettings;
import dev.lockstep.test.RunningApp;
import dev.lockstep.test.RunningApp.Response;
import dev.lockstep.test.TestDatabase;
import dev.lockstep.test.TestDatabases;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Drift as a user of a real application sees it over HTTP after changing the schema by hand: the state and the
 * {@code drift} section of {@code /actuator/migrations}, the objects at {@code /actuator/migrations/drift}, the
 * health policy ({@code migrations.drift.health}), the meter, and ignore patterns.
 */
class MigrationsDriftHttpTests {

	private static final String[] READINESS = { "management.endpoint.health.probes.enabled=true",
			"management.endpoint.health.group.readiness.include=readinessState,migrations",
			"management.endpoint.health.group.readiness.show-details=always" };

	@Test
	void handChangeShowsInTheEndpointTheHealthDetailsAndTheMeterWhileTheInstanceStaysReady() {
		TestDatabase db = TestDatabases.create();
		try (RunningApp app = RunningApp.start(db, with(READINESS, "migrations.status.cache-ttl=200ms"))) {
			JsonNode before = app.json("/actuator/migrations");
			assertThat(before.path("state").asString()).isEqualTo("UP_TO_DATE");
			assertThat(before.path("drift").path("state").asString()).as("checked at startup").isEqualTo("CLEAN");
			assertThat(before.path("drift").path("objects").asInt()).isZero();
			MeterRegistry registry = app.bean(MeterRegistry.class);
			assertThat(registry.get("migrations.drift.objects").gauge().value()).isZero();

			db.execute("ALTER TABLE orders ADD COLUMN note text");
			await().atMost(Duration.ofSeconds(10))
				.pollInterval(Duration.ofMillis(100))
				.until(() -> app.json("/actuator/migrations/drift").path("state").asString().equals("DRIFT"));

			Response driftResponse = app.get("/actuator/migrations/drift");
			System.out.println("GET /actuator/migrations/drift\n" + RunningApp.pretty(driftResponse.body()));
			JsonNode drift = driftResponse.json();
			assertThat(drift.path("state").asString()).isEqualTo("DRIFT");
			assertThat(Instant.parse(drift.path("checkedAt").asString())).isBefore(Instant.now().plusSeconds(1));
			assertThat(Instant.parse(drift.path("recordedAt").asString()))
				.isBefore(Instant.parse(drift.path("checkedAt").asString()));
			assertThat(drift.path("ignored").asInt()).isZero();
			assertThat(drift.has("message")).isFalse();
			assertThat(drift.path("objects")).hasSize(1);
			JsonNode note = drift.path("objects").get(0);
			assertThat(note.path("type").asString()).isEqualTo("column");
			assertThat(note.path("name").asString()).isEqualTo("orders.note");
			assertThat(note.path("change").asString()).isEqualTo("added");
			assertThat(note.has("expected")).as("present, as null").isTrue();
			assertThat(note.path("expected").isNull()).isTrue();
			assertThat(note.path("actual").asString()).isEqualTo("text null");

			Response statusResponse = app.get("/actuator/migrations");
			System.out.println("GET /actuator/migrations\n" + RunningApp.pretty(statusResponse.body()));
			JsonNode status = statusResponse.json();
			assertThat(status.path("state").asString()).isEqualTo("SCHEMA_DRIFT");
			assertThat(status.path("drift").path("state").asString()).isEqualTo("DRIFT");
			assertThat(status.path("drift").path("objects").asInt()).isEqualTo(1);
			assertThat(status.path("drift").path("checkedAt").asString()).isEqualTo(drift.path("checkedAt").asString());
			assertThat(status.path("pending")).isEmpty();

			Response health = app.get("/actuator/health/migrations");
			System.out.println("GET /actuator/health/migrations\n" + RunningApp.pretty(health.body()));
			assertThat(health.status()).isEqualTo(200);
			assertThat(health.json().path("status").asString()).isEqualTo("UP");
			JsonNode details = health.json().path("details");
			assertThat(details.path("state").asString()).isEqualTo("SCHEMA_DRIFT");
			assertThat(details.path("drift").asInt()).isEqualTo(1);
			assertThat(details.path("driftObjects").get(0).asString()).isEqualTo("column orders.note: added (text null)");
			Response readiness = app.get("/actuator/health/readiness");
			assertThat(readiness.status()).as("a hand change does not take the instance out of readiness")
				.isEqualTo(200);

			assertThat(registry.get("migrations.drift.objects").gauge().value()).isEqualTo(1);
			JsonNode meter = app.json("/actuator/metrics/migrations.drift.objects");
			assertThat(meter.path("measurements").get(0).path("value").asDouble()).isEqualTo(1);

			db.execute("ALTER TABLE orders DROP COLUMN note");
			await().atMost(Duration.ofSeconds(10))
				.pollInterval(Duration.ofMillis(100))
				.until(() -> app.json("/actuator/migrations/drift").path("state").asString().equals("CLEAN"));
			assertThat(app.json("/actuator/migrations").path("state").asString()).isEqualTo("UP_TO_DATE");
			assertThat(registry.get("migrations.drift.objects").gauge().value()).isZero();
		}
	}

	@ParameterizedTest
	@ValueSource(strings = { "DOWN", "OUT_OF_SERVICE" })
	void driftHealthTakesTheInstanceOutWhenTheUserSaysSo(String driftHealth) {
		TestDatabase db = migratedAndChangedByHand("CREATE INDEX orders_customer_tmp ON orders (customer_id)");
		try (RunningApp app = RunningApp.start(db, with(READINESS, "migrations.drift.health=" + driftHealth,
				"migrations.drift.interval=0"))) {
			// No background check and no request for the drift: the startup check found it.
			Response health = app.get("/actuator/health/migrations");
			assertThat(health.status()).isEqualTo(503);
			assertThat(health.json().path("status").asString()).isEqualTo(driftHealth);
			assertThat(health.json().path("details").path("state").asString()).isEqualTo("SCHEMA_DRIFT");
			assertThat(health.json().path("details").path("driftObjects").get(0).asString())
				.startsWith("index orders_customer_tmp: added (CREATE INDEX orders_customer_tmp ON public.orders");
			assertThat(app.get("/actuator/health/readiness").status()).isEqualTo(503);
		}
	}

	@Test
	void ignorePatternsLeaveObjectsOut() {
		TestDatabase db = migratedAndChangedByHand(
				"ALTER TABLE orders ADD COLUMN note text; CREATE INDEX orders_customer_tmp ON orders (customer_id)");
		try (RunningApp app = RunningApp.start(db, "migrations.drift.ignore=column:orders.note,index:*_tmp")) {
			JsonNode drift = app.json("/actuator/migrations/drift");
			assertThat(drift.path("state").asString()).isEqualTo("CLEAN");
			assertThat(drift.path("ignored").asInt()).isEqualTo(2);
			assertThat(drift.path("objects")).isEmpty();
			assertThat(app.json("/actuator/migrations").path("state").asString()).isEqualTo("UP_TO_DATE");
		}
	}

	@Test
	void withoutARecordDriftIsUnknownNotClean() {
		TestDatabase db = migratedAndChangedByHand("DROP TABLE lockstep_schema_record");
		try (RunningApp app = RunningApp.start(db, "migrations.mode=report")) {
			JsonNode status = app.json("/actuator/migrations");
			assertThat(status.path("state").asString()).isEqualTo("UP_TO_DATE");
			assertThat(status.path("drift").path("state").asString()).isEqualTo("NO_RECORD");
			assertThat(status.path("drift").has("objects")).isFalse();
			assertThat(status.path("drift").path("message").asString())
				.contains("migrations diff --against=changelog");
			assertThat(app.json("/actuator/migrations/drift").path("state").asString()).isEqualTo("NO_RECORD");
			assertThat(app.bean(MeterRegistry.class).get("migrations.drift.objects").gauge().value())
				.as("unknown, so that an alert on > 0 does not fire")
				.isNaN();
			assertThat(app.get("/actuator/health/migrations").json().path("status").asString()).isEqualTo("UP");
		}
	}

	private static TestDatabase migratedAndChangedByHand(String sql) {
		TestDatabase db = TestDatabases.create();
		new MigrationEngine(db.dataSource(), new SpringResourceAccessor(new DefaultResourceLoader()),
				MigrationSettings.of("classpath:db/changelog/db.changelog-master.yaml"))
			.apply();
		db.execute(sql);
		return db;
	}

	private static String[] with(String[] properties, String... more) {
		String[] all = new String[properties.length + more.length];
		System.arraycopy(properties, 0, all, 0, properties.length);
		System.arraycopy(more, 0, all, properties.length, more.length);
		return all;
	}

}
