package dev.lockstep.endpoint;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import org.springframework.context.ConfigurableApplicationContext;

import dev.lockstep.test.ChangeLogFile;
import dev.lockstep.core.test.HeldLock;
import dev.lockstep.test.RunningApp;
import dev.lockstep.test.RunningApp.Response;
import dev.lockstep.test.TestDatabase;
import dev.lockstep.test.TestDatabases;
import dev.lockstep.core.test.ThreadPerTask;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * A probe storm while another instance is applying changesets: 200 concurrent requests to the endpoint and to
 * health, no error, and the database sees at most one status query per cache period (counted by
 * {@code pg_stat_statements} for the observed instance's own database role).
 */
class MigrationsLoadTests {

	private static final AtomicInteger counter = new AtomicInteger();

	private static final int THREADS = 20;

	private static final int REQUESTS_PER_THREAD = 10;

	private static final Duration TTL = Duration.ofMillis(250);

	@TempDir
	Path dir;

	@Test
	void probeStormWhileAnotherInstanceRunsCostsOneStatusQueryPerCachePeriod() throws Exception {
		TestDatabase db = TestDatabases.create();
		db.execute("CREATE EXTENSION IF NOT EXISTS pg_stat_statements");
		String reader = "lockstep_observed_" + counter.incrementAndGet();
		db.execute("CREATE ROLE " + reader + " LOGIN SUPERUSER");
		ChangeLogFile changeLog = ChangeLogFile.in(this.dir).write(ChangeLogFile.CUSTOMERS);
		changeLog.applyTo(db);
		changeLog.write(ChangeLogFile.CUSTOMERS, ChangeLogFile.sleeping("2-backfill", 5), ChangeLogFile.ORDERS);

		try (RunningApp app = RunningApp.start(db, changeLog.property(), "migrations.mode=report",
				"migrations.status.cache-ttl=" + TTL.toMillis() + "ms", "spring.datasource.username=" + reader,
				"server.tomcat.threads.max=50")) {
			assertThat(app.json("/actuator/migrations").path("state").asString()).isEqualTo("PENDING");

			// Another instance (same JVM, its own context) starts in apply mode and runs the slow changeset.
			CompletableFuture<Void> other = CompletableFuture.runAsync(() -> {
				try (ConfigurableApplicationContext instance = RunningApp.startInstance(db, changeLog.property())) {
					// Started: its run is over.
				}
			}, ThreadPerTask.EXECUTOR);
			await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(20)).until(() -> HeldLock.isHeld(db));
			// Let the status cached before the other instance took the lock expire: the storm starts on a fresh read.
			Thread.sleep(TTL.toMillis());

			db.execute("SELECT pg_stat_statements_reset()");
			Map<String, AtomicInteger> outcomes = new ConcurrentHashMap<>();
			ConcurrentLinkedQueue<String> failures = new ConcurrentLinkedQueue<>();
			ExecutorService pool = Executors.newFixedThreadPool(THREADS);
			CountDownLatch go = new CountDownLatch(1);
			long start = System.nanoTime();
			for (int t = 0; t < THREADS; t++) {
				int thread = t;
				pool.execute(() -> {
					try {
						go.await();
						for (int i = 0; i < REQUESTS_PER_THREAD; i++) {
							boolean endpoint = (thread + i) % 2 == 0;
							Response response = app.get(endpoint ? "/actuator/migrations" : "/actuator/health");
							String key = (endpoint ? "migrations " : "health ") + response.status();
							if (endpoint && response.status() == 200) {
								key += " " + response.json().path("state").asString();
							}
							else if (!endpoint) {
								key += " " + response.json().path("status").asString();
							}
							outcomes.computeIfAbsent(key, (k) -> new AtomicInteger()).incrementAndGet();
							Thread.sleep(ThreadLocalRandom.current().nextInt(60));
						}
					}
					catch (Throwable ex) {
						failures.add(ex.toString());
					}
				});
			}
			go.countDown();
			pool.shutdown();
			assertThat(pool.awaitTermination(60, TimeUnit.SECONDS)).isTrue();
			long elapsedMs = Duration.ofNanos(System.nanoTime() - start).toMillis();
			boolean stillRunning = HeldLock.isHeld(db);
			long statusQueries = statusQueries(db, reader);
			long periods = (elapsedMs + TTL.toMillis() - 1) / TTL.toMillis();
			System.out.printf("%d requests in %d ms (other instance still running at the end: %s): %s%n",
					THREADS * REQUESTS_PER_THREAD, elapsedMs, stillRunning, outcomes);
			System.out.printf("status queries (SELECT ... FROM databasechangelog) by the observed instance: %d; "
					+ "cache periods of %d ms in %d ms: %d; allowed: %d%n", statusQueries, TTL.toMillis(), elapsedMs,
					periods, periods + 1);
			printQueries(db, reader);

			assertThat(failures).isEmpty();
			assertThat(outcomes.values().stream().mapToInt(AtomicInteger::get).sum()).isEqualTo(200);
			assertThat(outcomes.keySet()).allMatch((key) -> key.startsWith("migrations 200 ")
					|| key.equals("health 503 OUT_OF_SERVICE") || key.equals("health 200 UP"));
			assertThat(outcomes.keySet()).contains("migrations 200 MIGRATING");
			assertThat(statusQueries).isBetween(1L, periods + 1);

			other.get(60, TimeUnit.SECONDS);
			await().atMost(Duration.ofSeconds(5))
				.until(() -> app.json("/actuator/migrations").path("state").asString().equals("UP_TO_DATE"));
			assertThat(app.json("/actuator/migrations").path("lastRun").path("applied").asInt()).isEqualTo(2);
		}
	}

	/** Calls of the query that reads DATABASECHANGELOG, by the given role, since the last reset. */
	static long statusQueries(TestDatabase db, String role) {
		return db.count("SELECT coalesce(sum(s.calls), 0) FROM pg_stat_statements s "
				+ "JOIN pg_roles r ON r.oid = s.userid WHERE r.rolname = '" + role + "' "
				+ "AND s.dbid = (SELECT oid FROM pg_database WHERE datname = current_database()) "
				+ "AND s.query ILIKE 'SELECT%FROM%databasechangelog %ORDER BY%'");
	}

	static void printQueries(TestDatabase db, String role) {
		List<List<String>> rows = db.rows("SELECT s.calls, left(regexp_replace(s.query, '\\s+', ' ', 'g'), 110) "
				+ "FROM pg_stat_statements s JOIN pg_roles r ON r.oid = s.userid WHERE r.rolname = '" + role + "' "
				+ "AND s.dbid = (SELECT oid FROM pg_database WHERE datname = current_database()) "
				+ "ORDER BY s.calls DESC LIMIT 12");
		rows.forEach((row) -> System.out.printf("  %5s  %s%n", row.get(0), row.get(1)));
	}

}
