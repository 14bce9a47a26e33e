package dev.lockstep.metrics;

import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import liquibase.integration.spring.SpringResourceAccessor;
import tools.jackson.databind.JsonNode;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.core.io.DefaultResourceLoader;

import dev.lockstep.core.MigrationEngine;
import dev.lockstep.core.MigrationMonitor;
import dev.lockstep.core.api.MigrationMode;
import dev.lockstep.core.api.MigrationSettings;
import dev.lockstep.core.problem.LockTimeoutException;
import dev.lockstep.test.ChangeLogFile;
import dev.lockstep.core.test.HeldLock;
import dev.lockstep.test.RunningApp;
import dev.lockstep.test.TestDatabase;
import dev.lockstep.test.TestDatabases;
import dev.lockstep.core.test.ThreadPerTask;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;
import static org.assertj.core.api.Assertions.within;

/**
 * The Micrometer metrics after real runs, read through the registry and through {@code /actuator/metrics}.
 */
class MigrationsMetricsTests {

	@TempDir
	Path dir;

	@Test
	void afterAnApplyRunAtStartup() {
		TestDatabase db = TestDatabases.create();
		try (RunningApp app = RunningApp.start(db)) {
			MeterRegistry registry = app.bean(MeterRegistry.class);
			assertThat(registry.get("migrations.changesets.pending").gauge().value()).isZero();
			assertThat(registry.get("migrations.changesets.applied").gauge().value()).isEqualTo(3);
			assertThat(registry.get("migrations.checksum.mismatches").gauge().value()).isZero();
			assertThat(registry.get("migrations.changesets.applied").tag("target", "default").gauge().value())
				.as("every meter is tagged with its target; the top-level settings are target default")
				.isEqualTo(3);
			assertThat(registry.get("migrations.state").tag("target", "default").tag("state", "UP_TO_DATE").gauge()
				.value()).isEqualTo(1);
			Timer run = registry.get("migrations.run").tag("target", "default").tag("outcome", "success")
				.tag("mode", "apply").timer();
			assertThat(run.count()).isEqualTo(1);
			assertThat(run.totalTime(TimeUnit.MILLISECONDS)).isPositive();
			assertThat(registry.find("migrations.run").timers()).hasSize(1);
			Timer wait = registry.get("migrations.lock.wait").tag("outcome", "acquired").timer();
			assertThat(wait.count()).as("the lock was taken once, without waiting").isEqualTo(1);
			assertThat(wait.totalTime(TimeUnit.MILLISECONDS)).isLessThan(run.totalTime(TimeUnit.MILLISECONDS));

			JsonNode runs = app.json("/actuator/metrics/migrations.run?tag=target:default&tag=outcome:success&tag=mode:apply");
			assertThat(measurement(runs, "COUNT")).isEqualTo(1);
			assertThat(measurement(runs, "TOTAL_TIME"))
				.isCloseTo(run.totalTime(TimeUnit.SECONDS), within(0.000001));
			assertThat(measurement(app.json("/actuator/metrics/migrations.changesets.applied"), "VALUE"))
				.isEqualTo(3);
			JsonNode names = app.json("/actuator/metrics").path("names");
			assertThat(names.toString()).contains("migrations.changesets.pending", "migrations.changesets.applied",
					"migrations.checksum.mismatches", "migrations.run", "migrations.lock.wait", "migrations.state");
		}
	}

	@Test
	void gaugesShowPendingAndEditedChangesetsInReportMode() {
		TestDatabase db = TestDatabases.create();
		ChangeLogFile changeLog = ChangeLogFile.in(this.dir).write(ChangeLogFile.CUSTOMERS, ChangeLogFile.ORDERS);
		changeLog.applyTo(db);
		changeLog.write(ChangeLogFile.CUSTOMERS_EDITED, ChangeLogFile.ORDERS, ChangeLogFile.EMAIL);
		try (RunningApp app = RunningApp.start(db, changeLog.property(), "migrations.mode=report")) {
			MeterRegistry registry = app.bean(MeterRegistry.class);
			assertThat(registry.get("migrations.changesets.pending").gauge().value()).isEqualTo(1);
			assertThat(registry.get("migrations.changesets.applied").gauge().value()).isEqualTo(2);
			assertThat(registry.get("migrations.checksum.mismatches").gauge().value()).isEqualTo(1);
			assertThat(registry.get("migrations.run").tag("outcome", "validated").tag("mode", "report").timer().count())
				.isEqualTo(1);
			assertThat(registry.find("migrations.lock.wait").timers()).as("report mode takes no lock").isEmpty();
			assertThat(measurement(app.json("/actuator/metrics/migrations.checksum.mismatches"), "VALUE"))
				.isEqualTo(1);
			assertThat(measurement(app.json("/actuator/metrics/migrations.changesets.pending"), "VALUE"))
				.isEqualTo(1);
		}
	}

	@Test
	void gaugesFollowAnotherInstancesRunAfterTheCachePeriod() {
		TestDatabase db = TestDatabases.create();
		try (RunningApp app = RunningApp.start(db, "migrations.mode=report", "migrations.status.cache-ttl=100ms")) {
			MeterRegistry registry = app.bean(MeterRegistry.class);
			assertThat(registry.get("migrations.changesets.pending").gauge().value()).isEqualTo(3);
			RunningApp.startInstance(db).close();
			org.awaitility.Awaitility.await()
				.atMost(Duration.ofSeconds(5))
				.until(() -> registry.get("migrations.changesets.pending").gauge().value() == 0);
			assertThat(registry.get("migrations.changesets.applied").gauge().value()).isEqualTo(3);
			assertThat(registry.find("migrations.run").tag("mode", "apply").timers())
				.as("runs of other instances are theirs to count")
				.isEmpty();
		}
	}

	@Test
	void lockWaitRecordsHowLongTheStartupRunWaited() throws Exception {
		TestDatabase db = TestDatabases.create();
		HeldLock lock = HeldLock.take(db);
		CompletableFuture<Void> release = CompletableFuture.runAsync(() -> {
			// Once the application's run is waiting (its lock session, named lockstep:<pid>@<host>:<app>,
			// is open), keep it waiting for a second.
			org.awaitility.Awaitility.await()
				.atMost(Duration.ofSeconds(30))
				.pollInterval(Duration.ofMillis(10))
				.until(() -> db.count("SELECT count(*) FROM pg_stat_activity WHERE datname = current_database() "
						+ "AND application_name LIKE 'lockstep:%'") > 0);
			sleep(1000);
			lock.close();
		}, ThreadPerTask.EXECUTOR);
		long start = System.nanoTime();
		try (RunningApp app = RunningApp.start(db)) {
			long startup = Duration.ofNanos(System.nanoTime() - start).toMillis();
			release.get();
			MeterRegistry registry = app.bean(MeterRegistry.class);
			Timer wait = registry.get("migrations.lock.wait").tag("outcome", "acquired").timer();
			Timer run = registry.get("migrations.run").tag("outcome", "success").tag("mode", "apply").timer();
			double waited = wait.totalTime(TimeUnit.MILLISECONDS);
			double ran = run.totalTime(TimeUnit.MILLISECONDS);
			System.out.printf("lock held 1000 ms by the test: migrations.lock.wait %.0f ms, migrations.run %.0f ms, "
					+ "startup %d ms%n", waited, ran, startup);
			assertThat(wait.count()).isEqualTo(1);
			assertThat(waited).isBetween(900.0, (double) startup);
			assertThat(ran).isGreaterThanOrEqualTo(waited);
			assertThat(measurement(app.json("/actuator/metrics/migrations.lock.wait?tag=outcome:acquired"),
					"TOTAL_TIME"))
				.isCloseTo(waited / 1000, within(0.001));
			assertThat(db.count("SELECT count(*) FROM databasechangelog")).isEqualTo(3);
		}
		finally {
			lock.close();
		}
	}

	@Test
	void lockWaitTimeoutAndFailedRunAreRecorded() {
		TestDatabase db = TestDatabases.create();
		MigrationEngine engine = new MigrationEngine(db.dataSource(),
				new SpringResourceAccessor(new DefaultResourceLoader()),
				MigrationSettings.of(MigrationSettings.DEFAULT_CHANGE_LOG).withLockWaitTimeout(Duration.ofMillis(300)));
		MigrationMonitor monitor = new MigrationMonitor(engine, MigrationMode.APPLY, Duration.ofSeconds(10));
		engine.addListener(monitor);
		SimpleMeterRegistry registry = new SimpleMeterRegistry();
		new MigrationsMetrics(engine, monitor).bindTo(registry);
		try (HeldLock lock = HeldLock.take(db)) {
			assertThatExceptionOfType(LockTimeoutException.class).isThrownBy(engine::apply);
		}
		Timer timeout = registry.get("migrations.lock.wait").tag("outcome", "timeout").timer();
		assertThat(timeout.count()).isEqualTo(1);
		assertThat(timeout.totalTime(TimeUnit.MILLISECONDS)).isEqualTo(300);
		Timer failed = registry.get("migrations.run").tag("outcome", "failed").tag("mode", "apply").timer();
		assertThat(failed.count()).isEqualTo(1);
		assertThat(failed.totalTime(TimeUnit.MILLISECONDS)).isGreaterThanOrEqualTo(300);
		// The next run gets the lock at once and succeeds.
		engine.apply();
		assertThat(registry.get("migrations.run").tag("outcome", "success").timer().count()).isEqualTo(1);
		assertThat(registry.get("migrations.lock.wait").tag("outcome", "acquired").timer().count()).isEqualTo(1);
		assertThat(registry.get("migrations.changesets.pending").gauge().value()).isZero();
		assertThat(registry.get("migrations.changesets.applied").gauge().value()).isEqualTo(3);
	}

	@Test
	void gaugesAreNotANumberWhileTheDatabaseCannotBeRead() {
		TestDatabase db = TestDatabases.create();
		try (RunningApp app = RunningApp.start(db, "migrations.status.cache-ttl=50ms")) {
			MeterRegistry registry = app.bean(MeterRegistry.class);
			assertThat(registry.get("migrations.changesets.applied").gauge().value()).isEqualTo(3);
			db.dropDatabase();
			org.awaitility.Awaitility.await()
				.atMost(Duration.ofSeconds(5))
				.until(() -> Double.isNaN(registry.get("migrations.changesets.applied").gauge().value()));
			assertThat(registry.get("migrations.changesets.pending").gauge().value()).isNaN();
		}
	}

	private static double measurement(JsonNode metric, String statistic) {
		for (JsonNode measurement : metric.path("measurements")) {
			if (measurement.path("statistic").asString().equals(statistic)) {
				return measurement.path("value").asDouble();
			}
		}
		throw new AssertionError("No " + statistic + " in " + metric);
	}

	private static void sleep(long millis) {
		try {
			Thread.sleep(millis);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
		}
	}

}
