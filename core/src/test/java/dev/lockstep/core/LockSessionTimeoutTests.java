package dev.lockstep.core;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import liquibase.resource.DirectoryResourceAccessor;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import dev.lockstep.core.api.MigrationSettings;
import dev.lockstep.core.api.RunOutcome;
import dev.lockstep.core.api.RunResult;
import dev.lockstep.core.lock.LockKey;
import dev.lockstep.core.test.TestDatabase;
import dev.lockstep.core.test.TestDatabases;
import dev.lockstep.core.test.ThreadPerTask;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Short idle timeouts set on the database by an administrator (idle_session_timeout and
 * idle_in_transaction_session_timeout of 1 s) do not end a run that is idle longer while it holds the lock, as a
 * run is in a Java changeset.
 */
class LockSessionTimeoutTests {

	@TempDir
	Path dir;

	@Test
	void aRunIdleLongerThanTheDatabasesIdleTimeoutsKeepsItsLockAndSucceeds() throws Exception {
		TestDatabase db = TestDatabases.create();
		db.execute("ALTER DATABASE " + db.name() + " SET idle_session_timeout = '1s'");
		db.execute("ALTER DATABASE " + db.name() + " SET idle_in_transaction_session_timeout = '1s'");
		db.execute("CREATE TABLE runs (changeset varchar(40))");
		Files.writeString(this.dir.resolve("changelog.yaml"), """
				databaseChangeLog:
				  - changeSet:
				      id: 1-idle
				      author: timeouts
				      changes:
				        - customChange: {class: dev.lockstep.core.IdleChange}
				        - sql: {sql: "INSERT INTO runs VALUES ('1-idle')"}
				  - changeSet:
				      id: 2-idle-in-transaction
				      author: timeouts
				      changes:
				        - sql: {sql: "INSERT INTO runs VALUES ('2-idle-in-transaction')"}
				        - customChange: {class: dev.lockstep.core.IdleChange}
				""");
		MigrationEngine engine = new MigrationEngine(db.dataSource(), new DirectoryResourceAccessor(this.dir),
				MigrationSettings.of("changelog.yaml"));

		CompletableFuture<RunResult> run = CompletableFuture.supplyAsync(engine::apply, ThreadPerTask.EXECUTOR);
		String held = "SELECT count(*) FROM pg_locks WHERE granted AND " + LockKey.forSchema("public").pgLocksCondition();
		String anyAdvisory = "SELECT count(*) FROM pg_locks WHERE granted AND locktype = 'advisory' AND database = "
				+ "(SELECT oid FROM pg_database WHERE datname = current_database())";
		long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
		while (db.count(held) == 0 && !run.isDone() && System.nanoTime() - deadline < 0) {
			Thread.sleep(20);
		}
		assertThat(run).as("the run holds the lock").isNotDone();
		Thread.sleep(2000);
		if (run.isDone()) {
			run.join();
		}
		assertThat(db.count(held)).as("the lock is still held after 2 s of an idle run").isEqualTo(1);
		assertThat(db.count(anyAdvisory)).as("advisory locks held (the run's only)").isEqualTo(1);

		RunResult result = run.get(60, TimeUnit.SECONDS);
		assertThat(result.outcome()).isEqualTo(RunOutcome.SUCCESS);
		assertThat(result.applied()).isEqualTo(2);
		assertThat(db.rows("SELECT changeset FROM runs ORDER BY 1")).containsExactly(List.of("1-idle"),
				List.of("2-idle-in-transaction"));
		assertThat(db.count("SELECT count(*) FROM databasechangelog")).isEqualTo(2);
		assertThat(engine.status().isUpToDate()).isTrue();
	}

}
