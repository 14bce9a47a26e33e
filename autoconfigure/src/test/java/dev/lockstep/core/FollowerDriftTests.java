package dev.lockstep.core;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import liquibase.resource.DirectoryResourceAccessor;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import dev.lockstep.core.api.MigrationSettings;
import dev.lockstep.core.api.RunOutcome;
import dev.lockstep.core.api.RunResult;
import dev.lockstep.core.api.SchemaState;
import dev.lockstep.core.problem.SchemaMismatchException;
import dev.lockstep.test.ChangeLogFile;
import dev.lockstep.core.test.HeldLock;
import dev.lockstep.test.TestDatabase;
import dev.lockstep.test.TestDatabases;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * A follower waiting for the lock is released early when the leader applied what it found pending; "applied"
 * must mean applied with the follower's own content, or an edited changeset would pass as up to date.
 */
class FollowerDriftTests {

	private static final String CHANGE_LOG = "db.changelog-master.yaml";

	@TempDir
	Path leaderDir;

	@TempDir
	Path followerDir;

	@Test
	void followerWhoseChangesetDiffersFromTheOneTheLeaderAppliedFailsWithTheDriftError() throws Exception {
		TestDatabase db = TestDatabases.create();
		// Same file name, same changeset identities; 1-create-customers differs (C1 for the leader, C2 here).
		ChangeLogFile.in(this.leaderDir)
			.write(ChangeLogFile.sleeping("0-warm-up", 3), ChangeLogFile.CUSTOMERS, ChangeLogFile.sleeping("9-slow", 4));
		ChangeLogFile.in(this.followerDir)
			.write(ChangeLogFile.sleeping("0-warm-up", 3), ChangeLogFile.CUSTOMERS_EDITED);
		ExecutorService executor = Executors.newFixedThreadPool(2);
		try {
			Future<RunResult> leader = executor.submit(() -> engine(db, this.leaderDir).apply());
			await().atMost(Duration.ofSeconds(60)).until(() -> HeldLock.isHeld(db));
			MigrationEngine followerEngine = engine(db, this.followerDir);
			Future<RunResult> follower = executor.submit(followerEngine::apply);
			// The leader applies 0-warm-up and 1-create-customers (C1), then runs 9-slow for 4 s: meanwhile the
			// follower sees both of its pending changesets in the history.
			await().atMost(Duration.ofSeconds(60))
				.ignoreExceptions()
				.until(() -> db.count("SELECT count(*) FROM databasechangelog WHERE id = '1-create-customers'") == 1);
			Thread.sleep(1000);
			assertThat(follower).as("applied with other content is not 'applied elsewhere'").isNotDone();
			assertThat(leader.get(2, TimeUnit.MINUTES).applied()).isEqualTo(3);
			Throwable failure = null;
			try {
				follower.get(2, TimeUnit.MINUTES);
			}
			catch (java.util.concurrent.ExecutionException ex) {
				failure = ex.getCause();
			}
			assertThat(failure).as("the follower must refuse, not report success")
				.isInstanceOf(SchemaMismatchException.class);
			assertThat(failure.getMessage()).contains("state DRIFTED")
				.contains("Modified after they ran (checksum differs):")
				.contains("1-create-customers::ana");
			assertThat(followerEngine.status().state()).isEqualTo(SchemaState.DRIFTED);
		}
		finally {
			executor.shutdownNow();
		}
		assertThat(db.count("SELECT count(*) FROM databasechangelog")).isEqualTo(3);
	}

	@Test
	void followerWithTheSameChangesetsIsStillReleasedWithoutTheLock() throws Exception {
		TestDatabase db = TestDatabases.create();
		ChangeLogFile.in(this.leaderDir)
			.write(ChangeLogFile.sleeping("0-warm-up", 3), ChangeLogFile.CUSTOMERS, ChangeLogFile.sleeping("9-slow", 6));
		ChangeLogFile.in(this.followerDir).write(ChangeLogFile.sleeping("0-warm-up", 3), ChangeLogFile.CUSTOMERS);
		ExecutorService executor = Executors.newFixedThreadPool(2);
		try {
			Future<RunResult> leader = executor.submit(() -> engine(db, this.leaderDir).apply());
			await().atMost(Duration.ofSeconds(60)).until(() -> HeldLock.isHeld(db));
			Future<RunResult> follower = executor.submit(() -> engine(db, this.followerDir).apply());
			RunResult released = follower.get(2, TimeUnit.MINUTES);
			assertThat(released.outcome()).isEqualTo(RunOutcome.SUCCESS);
			assertThat(released.applied()).isZero();
			assertThat(leader).as("released while the leader still runs 9-slow").isNotDone();
			assertThat(leader.get(2, TimeUnit.MINUTES).applied()).isEqualTo(3);
		}
		finally {
			executor.shutdownNow();
		}
	}

	/** An engine on the changelog in the directory; both directories give the changesets the same identities. */
	private static MigrationEngine engine(TestDatabase db, Path dir) throws Exception {
		assertThat(Files.exists(dir.resolve(CHANGE_LOG))).isTrue();
		return new MigrationEngine(db.dataSource(), new DirectoryResourceAccessor(dir), MigrationSettings.of(CHANGE_LOG));
	}

}
