package dev.lockstep.autoconfigure;

import java.sql.Connection;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import liquibase.Contexts;
import liquibase.GlobalConfiguration;
import liquibase.LabelExpression;
import liquibase.Liquibase;
import liquibase.Scope;
import liquibase.database.Database;
import liquibase.database.DatabaseFactory;
import liquibase.database.jvm.JdbcConnection;
import liquibase.exception.LockException;
import liquibase.lockservice.StandardLockService;
import liquibase.resource.ClassLoaderResourceAccessor;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.context.ConfigurableApplicationContext;

import dev.lockstep.core.api.RunResult;
import dev.lockstep.core.problem.LockTimeoutException;
import dev.lockstep.test.MigrationsTestApp;
import dev.lockstep.test.TestDatabase;
import dev.lockstep.test.TestDatabases;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

/**
 * Lockstep and a Liquibase client that knows nothing of advisory locks (the CLI, a Maven plugin run, another
 * Liquibase app) exclude each other through Liquibase's DATABASECHANGELOGLOCK row, on PostgreSQL. Liquibase's side
 * is played by Liquibase's own {@link StandardLockService} and {@link Liquibase#update()} on connections of their
 * own.
 */
@ExtendWith(OutputCaptureExtension.class)
@Timeout(value = 2, unit = TimeUnit.MINUTES)
class LiquibaseCliExclusionTests {

	private static final String LOCK_ROW = "SELECT locked::text, lockedby FROM databasechangeloglock WHERE id = 1";

	@Test
	void foreignLiquibaseHolderFailsStartupNamingItThenLockstepAppliesOnceReleased(CapturedOutput output)
			throws Exception {
		TestDatabase db = TestDatabases.create();
		try (Connection cliConnection = db.connect()) {
			StandardLockService cli = liquibaseLockService(cliConnection);
			assertThat(cli.acquireLock()).as("the foreign Liquibase client gets the row").isTrue();
			String foreignHolder = lockRow(db).get(1);
			assertThat(foreignHolder).isNotBlank().doesNotContain("[lockstep]");

			long start = System.nanoTime();
			Throwable failure = catchThrowable(() -> start(db, "--migrations.lock.wait-timeout=2s").close());
			Duration took = Duration.ofNanos(System.nanoTime() - start);

			LockTimeoutException timeout = cause(failure, LockTimeoutException.class);
			assertThat(timeout).as("startup must fail with a lock timeout, got %s", failure).isNotNull();
			assertThat(timeout.getMessage()).contains("DATABASECHANGELOGLOCK").contains(foreignHolder);
			assertThat(output).contains("APPLICATION FAILED TO START").contains(foreignHolder);
			assertThat(took).as("it waited the configured 2 s, not much longer")
				.isGreaterThanOrEqualTo(Duration.ofSeconds(2))
				.isLessThan(Duration.ofSeconds(30));
			assertThat(db.tableExists("customers")).as("nothing applied").isFalse();
			if (db.tableExists("databasechangelog")) {
				assertThat(db.count("SELECT count(*) FROM databasechangelog")).as("nothing recorded").isZero();
			}
			assertThat(lockRow(db)).as("the foreign holder still has its row").containsExactly("true", foreignHolder);

			cli.releaseLock();
		}
		try (ConfigurableApplicationContext context = start(db, "--migrations.lock.wait-timeout=2s")) {
			assertThat(result(context).applied()).isEqualTo(3);
		}
		assertThat(db.count("SELECT count(*) FROM databasechangelog")).isEqualTo(3);
		assertThat(db.tableExists("customers")).isTrue();
		assertThat(lockRow(db).get(0)).as("row released after the run").isEqualTo("false");
	}

	@Test
	void liquibaseCannotTakeTheRowWhileLockstepRuns(CapturedOutput output) throws Exception {
		TestDatabase db = TestDatabases.create();
		db.execute("CREATE TABLE gate (id int)");
		ExecutorService executor = Executors.newSingleThreadExecutor();
		try (Connection gate = db.connect()) {
			gate.setAutoCommit(false);
			gate.createStatement().execute("LOCK TABLE gate IN ACCESS EXCLUSIVE MODE");
			Future<ConfigurableApplicationContext> app = executor
				.submit(() -> start(db, "--migrations.change-log=classpath:db/gate/changelog.yaml"));
			awaitRunBlockedOnGate(db, app);

			List<String> row = lockRow(db);
			assertThat(row.get(0)).as("Lockstep holds Liquibase's row during its run").isEqualTo("true");
			assertThat(row.get(1)).contains("[lockstep]");

			try (Connection cliConnection = db.connect()) {
				StandardLockService cli = liquibaseLockService(cliConnection);
				assertThat(cli.acquireLock()).as("Liquibase's lock service gets the row while Lockstep runs").isFalse();
			}
			try (Connection cliConnection = db.connect()) {
				Throwable update = catchThrowable(() -> liquibaseUpdate(cliConnection, "db/gate/changelog.yaml"));
				assertThat(cause(update, LockException.class)).as("plain Liquibase update fails, got %s", update)
					.isNotNull()
					.hasMessageContaining("Could not acquire change log lock")
					.hasMessageContaining("[lockstep]");
			}
			assertThat(app).as("Lockstep's run is still blocked on the gate").isNotDone();

			gate.rollback();
			try (ConfigurableApplicationContext context = app.get(60, TimeUnit.SECONDS)) {
				assertThat(result(context).applied()).isEqualTo(3);
			}
		}
		finally {
			executor.shutdownNow();
		}
		assertThat(db.count("SELECT count(*) FROM databasechangelog")).isEqualTo(3);
		assertThat(db.count("SELECT count(*) FROM gate")).isEqualTo(1);
		assertThat(lockRow(db).get(0)).as("row released after the run").isEqualTo("false");
		try (Connection cliConnection = db.connect()) {
			StandardLockService cli = liquibaseLockService(cliConnection);
			assertThat(cli.acquireLock()).as("Liquibase gets the row once Lockstep is done").isTrue();
			cli.releaseLock();
		}
	}

	@Test
	void staleRowOfADeadLockstepRunIsTakenOverAtOnce(CapturedOutput output) throws Exception {
		TestDatabase db = TestDatabases.create();
		String deadHolder = "deadhost (10.0.0.9) [lockstep] lockstep:4242@deadhost:orders";
		try (Connection deadRun = db.connect()) {
			// Liquibase creates and takes the row; then the run "dies" without releasing it.
			assertThat(liquibaseLockService(deadRun).acquireLock()).isTrue();
		}
		db.execute("UPDATE databasechangeloglock SET lockedby = '" + deadHolder
				+ "', lockgranted = now() - interval '1 hour' WHERE id = 1");
		assertThat(lockRow(db)).containsExactly("true", deadHolder);

		try (ConfigurableApplicationContext context = start(db, "--migrations.lock.wait-timeout=20s")) {
			RunResult result = result(context);
			assertThat(result.applied()).isEqualTo(3);
			assertThat(Duration.ofMillis(result.durationMs())).as("run time: no waiting for the dead run's row")
				.isLessThan(Duration.ofSeconds(5));
		}
		assertThat(output).contains("Took over Liquibase's lock row left locked by a migration run that died: "
				+ deadHolder)
			.doesNotContain("Waiting for Liquibase's lock row");
		assertThat(db.count("SELECT count(*) FROM databasechangelog")).isEqualTo(3);
		assertThat(lockRow(db).get(0)).as("row released after the run").isEqualTo("false");
		assertThat(db.count("SELECT count(*) FROM databasechangeloglock WHERE lockedby IS NULL")).isEqualTo(1);
	}

	private static ConfigurableApplicationContext start(TestDatabase db, String... extra) {
		List<String> args = new ArrayList<>(List.of(db.springArguments()));
		args.add("--spring.application.name=orders");
		args.addAll(List.of(extra));
		return MigrationsTestApp.run(args.toArray(String[]::new));
	}

	private static RunResult result(ConfigurableApplicationContext context) {
		return context.getBean(MigrationsInitializer.class).getResult();
	}

	private static List<String> lockRow(TestDatabase db) {
		List<List<String>> rows = db.rows(LOCK_ROW);
		assertThat(rows).hasSize(1);
		return rows.get(0);
	}

	private static StandardLockService liquibaseLockService(Connection connection) throws Exception {
		Database database = DatabaseFactory.getInstance().findCorrectDatabaseImplementation(new JdbcConnection(connection));
		StandardLockService lockService = new StandardLockService();
		lockService.setDatabase(database);
		return lockService;
	}

	/** A plain Liquibase update, as the CLI runs it, that gives up on the row after one retry a second later. */
	private static void liquibaseUpdate(Connection connection, String changeLog) throws Exception {
		Database database = DatabaseFactory.getInstance().findCorrectDatabaseImplementation(new JdbcConnection(connection));
		Map<String, Object> scope = Map.of(GlobalConfiguration.CHANGELOGLOCK_WAIT_TIME.getKey(), 0L,
				GlobalConfiguration.CHANGELOGLOCK_POLL_RATE.getKey(), 1L);
		Scope.child(scope, () -> {
			Liquibase liquibase = new Liquibase(changeLog, new ClassLoaderResourceAccessor(), database);
			liquibase.update(new Contexts(), new LabelExpression());
		});
	}

	private static void awaitRunBlockedOnGate(TestDatabase db, Future<?> app) throws Exception {
		long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
		while (db.count("SELECT count(*) FROM pg_stat_activity WHERE datname = current_database() "
				+ "AND application_name LIKE 'lockstep:%' AND wait_event_type = 'Lock'") == 0) {
			if (app.isDone()) {
				app.get();
				throw new AssertionError("The application started without waiting for the gate");
			}
			assertThat(System.nanoTime()).as("Lockstep's run never reached the gate").isLessThan(deadline);
			Thread.sleep(50);
		}
	}

	private static <T extends Throwable> T cause(Throwable failure, Class<T> type) {
		for (Throwable current = failure; current != null; current = current.getCause()) {
			if (type.isInstance(current)) {
				return type.cast(current);
			}
		}
		return null;
	}

}
