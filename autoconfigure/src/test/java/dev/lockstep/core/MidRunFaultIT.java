package dev.lockstep.core;

import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import javax.sql.DataSource;

import liquibase.resource.DirectoryResourceAccessor;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.jdbc.datasource.DriverManagerDataSource;

import dev.lockstep.core.api.MigrationSettings;
import dev.lockstep.core.api.RunOutcome;
import dev.lockstep.core.api.RunResult;
import dev.lockstep.core.problem.ChangeSetFailedException;
import dev.lockstep.core.problem.MigrationException;
import dev.lockstep.test.RestartablePostgres;
import dev.lockstep.test.TcpProxy;
import dev.lockstep.test.TestDatabase;
import dev.lockstep.test.TestDatabases;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;
import static org.assertj.core.api.Assertions.fail;

/**
 * Faults in the middle of a run, while a slow transactional changeset is being applied: the database restarts,
 * the network drops the connections, or the network stops carrying them (blackhole). The run must fail with an
 * error that says so, record nothing twice, and give up a blackholed connection within a bounded time; the next
 * start must complete with the same history as a clean run.
 */
class MidRunFaultIT {

	/** A custom setting the slow changeset sleeps by: set on the database for the faulty run only. */
	private static final String SLEEP_SETTING = "lockstep.test_sleep";

	private static final String CHANGELOG = """
			databaseChangeLog:
			  - changeSet:
			      id: 1-create-items
			      author: faults
			      changes:
			        - createTable:
			            tableName: items
			            columns:
			              - column: {name: label, type: varchar(50), constraints: {nullable: false}}
			  - changeSet:
			      id: 2-before
			      author: faults
			      changes:
			        - sql: INSERT INTO items (label) VALUES ('before')
			  - changeSet:
			      id: 3-slow
			      author: faults
			      changes:
			        - sql: INSERT INTO items (label) VALUES ('slow')
			        - sql: |
			            SELECT pg_sleep(CAST(coalesce(nullif(current_setting('lockstep.test_sleep', true), ''), '0') AS float))
			  - changeSet:
			      id: 4-after
			      author: faults
			      changes:
			        - sql: INSERT INTO items (label) VALUES ('after')
			""";

	private static final String HISTORY = "SELECT id, author, filename, orderexecuted, exectype, md5sum, description "
			+ "FROM databasechangelog ORDER BY orderexecuted";

	/** Far above the watchdog's 15 s, far below "hours". */
	private static final Duration GIVE_UP_BOUND = Duration.ofSeconds(60);

	@TempDir
	Path dir;

	private TcpProxy proxy;

	private RestartablePostgres dedicated;

	@BeforeEach
	void writeChangeLog() throws Exception {
		Files.writeString(this.dir.resolve("master.yaml"), CHANGELOG);
	}

	@AfterEach
	void stopFaultyParts() {
		if (this.proxy != null) {
			this.proxy.close();
		}
		if (this.dedicated != null) {
			this.dedicated.close();
		}
	}

	@Test
	@Timeout(180)
	void databaseRestartedMidRunFailsClearlyAndTheNextStartCompletes(@TempDir Path data) throws Exception {
		this.dedicated = RestartablePostgres.start(data.resolve("pgdata"));
		TestDatabase db = this.dedicated.createDatabase("faults");
		db.execute("ALTER DATABASE faults SET " + SLEEP_SETTING + " = '30'");
		CompletableFuture<RunResult> run = applyInBackground(db.dataSource());
		awaitSlowChangeSet(db);

		long start = System.nanoTime();
		this.dedicated.restart();
		Throwable failure = failureOf(run);
		System.out.printf("Database restart: the run failed %d ms after the restart began%n", millisSince(start));

		assertThat(failure).isInstanceOf(MigrationException.class)
			.hasMessageContaining("The migration lock was lost: ")
			.hasMessageContaining("terminating connection due to administrator command")
			.hasMessageContaining("3-slow::faults");
		assertAppliedBeforeTheFaultOnly(db);

		db.execute("ALTER DATABASE faults RESET " + SLEEP_SETTING);
		engine(db.dataSource()).apply();
		assertCompletedLikeACleanRun(db);
	}

	@Test
	@Timeout(180)
	void networkDroppedMidRunFailsClearlyAndTheNextStartCompletes() throws Exception {
		TestDatabase db = TestDatabases.create();
		this.proxy = TcpProxy.start("localhost", port(db));
		db.execute("ALTER DATABASE " + db.name() + " SET " + SLEEP_SETTING + " = '30'");
		CompletableFuture<RunResult> run = applyInBackground(throughProxy(db));
		awaitSlowChangeSet(db);

		long start = System.nanoTime();
		this.proxy.drop();
		Throwable failure = failureOf(run);
		System.out.printf("Network drop: the run failed %d ms after the drop%n", millisSince(start));

		assertThat(failure).isInstanceOf(MigrationException.class)
			.hasMessageContaining("The migration lock was lost: ")
			.hasMessageContaining("3-slow::faults");
		assertAppliedBeforeTheFaultOnly(db);

		db.execute("ALTER DATABASE " + db.name() + " RESET " + SLEEP_SETTING);
		engine(throughProxy(db)).apply();
		assertCompletedLikeACleanRun(db);
	}

	@Test
	@Timeout(180)
	void networkBlackholedMidRunIsGivenUpWithinABoundAndTheNextStartCompletes() throws Exception {
		TestDatabase db = TestDatabases.create();
		this.proxy = TcpProxy.start("localhost", port(db));
		db.execute("ALTER DATABASE " + db.name() + " SET " + SLEEP_SETTING + " = '8'");
		CompletableFuture<RunResult> run = applyInBackground(throughProxy(db));
		awaitSlowChangeSet(db);

		long start = System.nanoTime();
		this.proxy.blackhole();
		Throwable failure;
		try {
			failure = failureOf(run, GIVE_UP_BOUND);
		}
		finally {
			// Whatever happened, end the blackholed sessions (a real network's keepalives would, eventually).
			this.proxy.heal();
		}
		long gaveUpAfter = millisSince(start);
		System.out.printf("Network blackhole: the run gave up %d ms after the blackhole began%n", gaveUpAfter);

		assertThat(Duration.ofMillis(gaveUpAfter)).isLessThan(GIVE_UP_BOUND);
		assertThat(failure).isInstanceOf(MigrationException.class)
			.hasMessageContaining("The migration lock was lost: ")
			.hasMessageContaining("no answer from the database for 15 s")
			.hasMessageContaining("3-slow::faults");
		assertAppliedBeforeTheFaultOnly(db);

		db.execute("ALTER DATABASE " + db.name() + " RESET " + SLEEP_SETTING);
		engine(throughProxy(db)).apply();
		assertCompletedLikeACleanRun(db);
	}

	@Test
	@Timeout(120)
	void aChangeSetRunningLongerThanTheWatchdogBoundOnAHealthyConnectionCompletes() throws Exception {
		TestDatabase db = TestDatabases.create();
		this.proxy = TcpProxy.start("localhost", port(db));
		db.execute("ALTER DATABASE " + db.name() + " SET " + SLEEP_SETTING + " = '18'");

		RunResult result = engine(throughProxy(db)).apply();

		assertThat(result.outcome()).isEqualTo(RunOutcome.SUCCESS);
		assertCompletedLikeACleanRun(db);
	}

	@Test
	@Timeout(120)
	void aConnectionErrorOfTheChangeSetsOwnIsAFailedChangeSetNotALostConnection() throws Exception {
		int closedPort;
		try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
			closedPort = socket.getLocalPort();
		}
		Files.writeString(this.dir.resolve("dblink.yaml"), """
				databaseChangeLog:
				  - changeSet:
				      id: 1-remote
				      author: faults
				      changes:
				        - sql: CREATE EXTENSION IF NOT EXISTS dblink
				        - sql: SELECT dblink_connect('host=127.0.0.1 port=%d dbname=x connect_timeout=2')
				""".formatted(closedPort));
		TestDatabase db = TestDatabases.create();
		MigrationEngine engine = new MigrationEngine(db.dataSource(), new DirectoryResourceAccessor(this.dir),
				MigrationSettings.of("dblink.yaml"));

		Throwable failure = catchThrowable(engine::apply);

		assertThat(failure).isInstanceOf(ChangeSetFailedException.class)
			.hasMessageContaining("1-remote::faults")
			.hasMessageNotContaining("The migration lock was lost");
	}

	private void assertAppliedBeforeTheFaultOnly(TestDatabase db) {
		assertThat(db.rows("SELECT id FROM databasechangelog ORDER BY orderexecuted"))
			.containsExactly(List.of("1-create-items"), List.of("2-before"));
		assertThat(db.rows("SELECT label FROM items ORDER BY label")).containsExactly(List.of("before"));
	}

	private void assertCompletedLikeACleanRun(TestDatabase db) throws Exception {
		assertThat(db.rows("SELECT label, count(*) FROM items GROUP BY label ORDER BY label")).containsExactly(
				List.of("after", "1"), List.of("before", "1"), List.of("slow", "1"));
		TestDatabase clean = TestDatabases.create();
		engine(clean.dataSource()).apply();
		assertThat(db.rows(HISTORY)).isEqualTo(clean.rows(HISTORY)).hasSize(4);
	}

	private CompletableFuture<RunResult> applyInBackground(DataSource dataSource) throws Exception {
		MigrationEngine engine = engine(dataSource);
		return CompletableFuture.supplyAsync(engine::apply, (task) -> {
			Thread thread = new Thread(task, "faulty-run");
			thread.setDaemon(true);
			thread.start();
		});
	}

	private MigrationEngine engine(DataSource dataSource) throws Exception {
		return new MigrationEngine(dataSource, new DirectoryResourceAccessor(this.dir),
				MigrationSettings.of("master.yaml"));
	}

	private DataSource throughProxy(TestDatabase db) {
		return new DriverManagerDataSource(this.proxy.jdbcUrl(db.name()), db.user(), db.password());
	}

	/** Waits, on a direct connection, until the run sleeps inside the slow changeset. */
	private static void awaitSlowChangeSet(TestDatabase db) throws InterruptedException {
		long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
		while (db.count("SELECT count(*) FROM pg_stat_activity WHERE state = 'active' "
				+ "AND query LIKE 'SELECT pg_sleep%' AND pid <> pg_backend_pid()") == 0) {
			if (System.nanoTime() - deadline > 0) {
				fail("The run never reached the slow changeset");
			}
			Thread.sleep(50);
		}
		// Well inside the statement.
		Thread.sleep(500);
	}

	private static Throwable failureOf(CompletableFuture<RunResult> run) throws Exception {
		return failureOf(run, GIVE_UP_BOUND);
	}

	private static Throwable failureOf(CompletableFuture<RunResult> run, Duration bound) throws Exception {
		try {
			RunResult result = run.get(bound.toMillis(), TimeUnit.MILLISECONDS);
			return fail("The run did not fail: " + result);
		}
		catch (ExecutionException ex) {
			System.out.println("The run failed with: " + ex.getCause());
			return ex.getCause();
		}
		catch (TimeoutException ex) {
			return fail("The run did not give up within " + bound.toSeconds() + " s of the fault");
		}
	}

	private static int port(TestDatabase db) {
		String afterHost = db.url().substring(db.url().indexOf("//") + 2);
		return Integer.parseInt(afterHost.substring(afterHost.indexOf(':') + 1, afterHost.indexOf('/')));
	}

	private static long millisSince(long start) {
		return Duration.ofNanos(System.nanoTime() - start).toMillis();
	}

}
