package dev.lockstep.endpoint;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.function.Supplier;

import liquibase.Scope;
import liquibase.command.CommandScope;
import liquibase.command.core.UpdateCommandStep;
import liquibase.command.core.helpers.DbUrlConnectionArgumentsCommandStep;
import liquibase.database.Database;
import liquibase.database.DatabaseFactory;
import liquibase.database.jvm.JdbcConnection;
import liquibase.integration.spring.SpringResourceAccessor;
import liquibase.ui.LoggerUIService;
import tools.jackson.databind.JsonNode;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.core.io.DefaultResourceLoader;

import dev.lockstep.core.MigrationEngine;
import dev.lockstep.core.MigrationMonitor;
import dev.lockstep.core.api.MigrationSettings;
import dev.lockstep.test.RunningApp.Response;
import dev.lockstep.test.RunningApp;
import dev.lockstep.test.TestDatabase;
import dev.lockstep.test.TestDatabases;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A 5,000-changeset history: the cached answer comes back at once, a refresh costs well under a Liquibase update.
 * Numbers are printed, not asserted tightly (the machine is shared; speed belongs in benchmarks).
 */
class LargeHistoryTests {

	private static final int CHANGESETS = 5000;

	@TempDir
	Path dir;

	@Test
	void largeHistoryIsServedFromCacheAndRefreshesCheaplyEnough() throws Exception {
		TestDatabase db = TestDatabases.create();
		Path file = writeChangeLog(this.dir.resolve("db.changelog-master.yaml"), CHANGESETS);
		String location = "file:" + file;
		MigrationEngine engine = new MigrationEngine(db.dataSource(),
				new SpringResourceAccessor(new DefaultResourceLoader()), MigrationSettings.of(location));
		long initialApply = millis(engine::apply);
		assertThat(db.count("SELECT count(*) FROM databasechangelog")).isEqualTo(CHANGESETS);

		List<Long> liquibaseUpdates = new ArrayList<>();
		for (int i = 0; i < 3; i++) {
			liquibaseUpdates.add(millis(() -> liquibaseUpdate(db, location)));
		}
		List<Long> lockstepUpToDateChecks = new ArrayList<>();
		for (int i = 0; i < 3; i++) {
			lockstepUpToDateChecks.add(millis(engine::apply));
		}

		try (RunningApp app = RunningApp.start(db, "migrations.change-log=" + location, "migrations.mode=report",
				"migrations.status.cache-ttl=1h")) {
			long firstRead = millis(() -> app.json("/actuator/migrations"));
			List<Long> cachedReads = new ArrayList<>();
			for (int i = 0; i < 50; i++) {
				cachedReads.add(millis(() -> {
					JsonNode status = app.json("/actuator/migrations");
					assertThat(status.path("appliedCount").asInt()).isEqualTo(CHANGESETS);
				}));
			}
			MigrationMonitor monitor = app.bean(MigrationMonitor.class);
			List<Long> refreshes = new ArrayList<>();
			for (int i = 0; i < 5; i++) {
				monitor.invalidate();
				refreshes.add(millis(monitor::snapshot));
			}
			List<Long> httpRefreshes = new ArrayList<>();
			for (int i = 0; i < 5; i++) {
				monitor.invalidate();
				httpRefreshes.add(millis(() -> app.json("/actuator/migrations")));
			}
			long[] historySize = new long[1];
			long historyRead = millis(() -> {
				Response history = app.get("/actuator/migrations/history");
				assertThat(history.status()).isEqualTo(200);
				historySize[0] = history.body().length();
			});
			List<Long> cachedHealth = new ArrayList<>();
			for (int i = 0; i < 50; i++) {
				cachedHealth.add(millis(() -> assertThat(app.get("/actuator/health/migrations").status())
					.isEqualTo(200)));
			}
			JsonNode status = app.json("/actuator/migrations");
			assertThat(status.path("state").asString()).isEqualTo("UP_TO_DATE");
			assertThat(status.path("current").path("id").asString()).isEqualTo("cs-" + CHANGESETS);

			System.out.printf("%n== %,d applied changesets ==%n", CHANGESETS);
			System.out.printf("initial Liquibase update applying them (Lockstep apply) : %,d ms%n", initialApply);
			System.out.printf("plain Liquibase update, nothing to do (x3)             : %s ms (median %d)%n",
					liquibaseUpdates, median(liquibaseUpdates));
			System.out.printf("Lockstep apply, up to date, no lock (x3)               : %s ms (median %d)%n",
					lockstepUpToDateChecks, median(lockstepUpToDateChecks));
			System.out.printf("status refresh, monitor.snapshot() after invalidate (x5): %s ms (median %d)%n",
					refreshes, median(refreshes));
			System.out.printf("status refresh over HTTP GET /actuator/migrations (x5)   : %s ms (median %d)%n",
					httpRefreshes, median(httpRefreshes));
			System.out.printf("first GET /actuator/migrations after startup            : %,d ms%n", firstRead);
			System.out.printf("cached GET /actuator/migrations (x50)                   : median %d ms, max %d ms%n",
					median(cachedReads), Collections.max(cachedReads));
			System.out.printf("cached GET /actuator/health/migrations (x50)            : median %d ms, max %d ms%n",
					median(cachedHealth), Collections.max(cachedHealth));
			System.out.printf("GET /actuator/migrations/history (%,d bytes)           : %,d ms%n%n", historySize[0],
					historyRead);

			// Generous sanity bounds only.
			assertThat(median(cachedReads)).isLessThan(1000);
			assertThat(median(refreshes)).isLessThan(10_000);
		}
	}

	private static Path writeChangeLog(Path file, int count) throws IOException {
		StringBuilder yaml = new StringBuilder("databaseChangeLog:\n");
		for (int i = 1; i <= count; i++) {
			yaml.append("  - changeSet:\n      id: cs-").append(i).append("\n      author: gen\n      changes:\n");
			if (i % 10 == 1) {
				yaml.append("        - createTable:\n            tableName: t").append(i)
					.append("\n            columns:\n              - column: {name: id, type: bigint}\n");
			}
			else {
				yaml.append("        - sql:\n            sql: SELECT ").append(i).append('\n');
			}
		}
		Files.writeString(file, yaml);
		return file;
	}

	/** What a plain Liquibase (or Spring Boot's Liquibase integration) does at each startup. */
	private static void liquibaseUpdate(TestDatabase db, String location) {
		try (var connection = db.connect()) {
			Database database = DatabaseFactory.getInstance()
				.findCorrectDatabaseImplementation(new JdbcConnection(connection));
			Scope.child(java.util.Map.of(Scope.Attr.resourceAccessor.name(),
					new SpringResourceAccessor(new DefaultResourceLoader()), Scope.Attr.ui.name(),
					new LoggerUIService()), () -> {
						CommandScope update = new CommandScope(UpdateCommandStep.COMMAND_NAME);
						update.addArgumentValue(DbUrlConnectionArgumentsCommandStep.DATABASE_ARG, database);
						update.addArgumentValue(UpdateCommandStep.CHANGELOG_FILE_ARG, location);
						update.execute();
					});
		}
		catch (Exception ex) {
			throw new IllegalStateException(ex);
		}
	}

	private static long millis(Runnable work) {
		long start = System.nanoTime();
		work.run();
		return Duration.ofNanos(System.nanoTime() - start).toMillis();
	}

	private static <T> long millis(Supplier<T> work) {
		return millis((Runnable) work::get);
	}

	private static long median(List<Long> values) {
		List<Long> sorted = new ArrayList<>(values);
		Collections.sort(sorted);
		return sorted.get(sorted.size() / 2);
	}

}
