package dev.lockstep.core;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.List;
import java.util.Properties;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.LoggerFactory;

import dev.lockstep.core.api.DdlSettings;
import dev.lockstep.core.api.MigrationMode;
import dev.lockstep.core.api.UpdateTarget;
import dev.lockstep.core.problem.ChangeSetLockTimeoutException;
import dev.lockstep.core.test.ThreadPerTask;
import dev.lockstep.metrics.MigrationsMetrics;
import dev.lockstep.test.ChangeLogFile;
import dev.lockstep.test.TestDatabase;
import dev.lockstep.test.TestDatabases;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

/**
 * DDL that never queues traffic, against real blocking transactions: a second session reads the table in an open
 * transaction (holding ACCESS SHARE), the migration ALTERs it. The changeset waits at most the lock timeout, is
 * rolled back and retried; the run completes once the blocker ends, or fails naming it; other sessions' reads of
 * the table never queue behind the waiting ALTER for longer than about the lock timeout.
 */
class LockTimeoutRetryTests {

	private static final String ORDERS = """
			  - changeSet:
			      id: 1-orders
			      author: ana
			      changes:
			        - sql:
			            sql: CREATE TABLE orders (id int PRIMARY KEY, ref int); INSERT INTO orders SELECT g, g FROM generate_series(1, 100) g
			""";

	private static final String ADD_NOTE = """
			  - changeSet:
			      id: 2-add-note
			      author: ben
			      changes:
			        - sql:
			            sql: ALTER TABLE orders ADD COLUMN note text
			""";

	private static final String ADD_CODE = """
			  - changeSet:
			      id: 3-add-code
			      author: ben
			      changes:
			        - sql:
			            sql: ALTER TABLE orders ADD COLUMN code text
			""";

	private static final String HISTORY = "SELECT id FROM databasechangelog ORDER BY orderexecuted";

	@TempDir
	Path dir;

	private TestDatabase db;

	private ChangeLogFile changeLog;

	private ListAppender<ILoggingEvent> log;

	@BeforeEach
	void setUp() {
		this.db = TestDatabases.create();
		this.changeLog = ChangeLogFile.in(this.dir);
		this.changeLog.write(ORDERS);
		this.changeLog.applyTo(this.db);
		this.log = new ListAppender<>();
		this.log.start();
		((Logger) LoggerFactory.getLogger("dev.lockstep.Migrations")).addAppender(this.log);
	}

	@AfterEach
	void tearDown() {
		((Logger) LoggerFactory.getLogger("dev.lockstep.Migrations")).detachAppender(this.log);
	}

	@Test
	void changeSetBlockedForAboutTwoLockTimeoutsIsRetriedAndCompletes() throws Exception {
		this.changeLog.write(ORDERS, ADD_NOTE);
		MigrationEngine engine = engine(new DdlSettings(Duration.ofMillis(300), 5));
		SimpleMeterRegistry registry = metrics(engine);
		try (Connection blocker = blockingReader("report-job")) {
			CompletableFuture<Void> ends = endLater(blocker, Duration.ofMillis(450));
			engine.apply();
			ends.join();
		}
		assertThat(this.db.rows(HISTORY)).extracting((row) -> row.get(0)).containsExactly("1-orders", "2-add-note");
		assertThat(columns()).contains("note");
		double retries = registry.get("migrations.ddl.lock.retries").counter().count();
		assertThat(retries).as("retries counted").isGreaterThanOrEqualTo(1).isLessThanOrEqualTo(5);
		List<String> retryLines = messages().stream().filter((line) -> line.contains("retry 1/5")).toList();
		assertThat(retryLines).hasSize(1);
		assertThat(retryLines.get(0)).contains("2-add-note::ben", "application_name 'report-job'",
				"idle in transaction", "SELECT count(*) FROM orders");
	}

	@Test
	void blockerThatNeverEndsFailsTheRunNamingItAndNothingIsHalfApplied() throws Exception {
		this.changeLog.write(ORDERS, ADD_CODE.replace("3-add-code", "2-add-code"), ADD_NOTE.replace("2-add-note",
				"3-add-note"));
		this.db.execute("CREATE TABLE other (id int)");
		MigrationEngine engine = engine(new DdlSettings(Duration.ofMillis(200), 2));
		SimpleMeterRegistry registry = metrics(engine);
		try (Connection blocker = blockingReader("report-job")) {
			ChangeSetLockTimeoutException failure = org.junit.jupiter.api.Assertions
				.assertThrows(ChangeSetLockTimeoutException.class, engine::apply);
			assertThat(failure.getMessage()).contains("2-add-code::ben", "3 tries", "200 ms",
					"application_name 'report-job'", "idle in transaction", "transaction open for",
					"rolled back each time");
			assertThat(failure.action()).contains("End that session's transaction", "lock timeout or retries",
					"traffic is low");
			assertThat(failure.blocker()).contains("report-job");
			assertThat(failure.changeSet().id()).isEqualTo("2-add-code");
			// Nothing half-applied: the history and the table as before the changeset.
			assertThat(this.db.rows(HISTORY)).extracting((row) -> row.get(0)).containsExactly("1-orders");
			assertThat(columns()).doesNotContain("code", "note");
			blocker.rollback();
		}
		assertThat(registry.get("migrations.ddl.lock.retries").counter().count()).isEqualTo(2);
		assertThat(registry.get("migrations.run").tag("outcome", "failed").timer().count()).isEqualTo(1);
		// The session's lock_timeout was put back: the next run, without a blocker, completes.
		engine.apply();
		assertThat(this.db.rows(HISTORY)).extracting((row) -> row.get(0))
			.containsExactly("1-orders", "2-add-code", "3-add-note");
	}

	@Test
	void readsOfTheTableAreNotQueuedBehindTheWaitingAlterForLongerThanAboutTheLockTimeout() throws Exception {
		this.changeLog.write(ORDERS, ADD_NOTE);
		MigrationEngine engine = engine(new DdlSettings(Duration.ofMillis(300), 20));
		AtomicBoolean reading = new AtomicBoolean(true);
		AtomicLong slowestMillis = new AtomicLong();
		AtomicLong reads = new AtomicLong();
		try (Connection blocker = blockingReader("report-job"); Connection reader = connect("orders-api")) {
			try (Statement settings = reader.createStatement()) {
				// Without Lockstep's lock timeout a read would queue for the blocker's whole 3.5 s: bound it.
				settings.execute("SET statement_timeout = '10s'");
			}
			CompletableFuture<Void> readLoop = CompletableFuture.runAsync(() -> {
				while (reading.get()) {
					long start = System.nanoTime();
					try (Statement read = reader.createStatement()) {
						read.executeQuery("SELECT count(*) FROM orders").close();
					}
					catch (SQLException ex) {
						throw new IllegalStateException(ex);
					}
					slowestMillis.accumulateAndGet(TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start),
							Math::max);
					reads.incrementAndGet();
					sleep(20);
				}
			}, ThreadPerTask.EXECUTOR);
			CompletableFuture<Void> ends = endLater(blocker, Duration.ofMillis(3500));
			long started = System.nanoTime();
			engine.apply();
			long migrationMillis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - started);
			ends.join();
			reading.set(false);
			readLoop.join();
			assertThat(migrationMillis).as("the migration waited for the blocker").isGreaterThanOrEqualTo(3000);
		}
		assertThat(columns()).contains("note");
		assertThat(reads.get()).isGreaterThan(10);
		// Generous: a read queues behind the ALTER for at most one lock timeout (300 ms); the blocker held 3.5 s more.
		assertThat(slowestMillis.get()).as("slowest read while the migration waited").isLessThan(1500);
	}

	@Test
	void updateWithCountRetriesOnlyWhatItWasAskedFor() throws Exception {
		String other = """
				  - changeSet:
				      id: 2-other
				      author: ben
				      changes:
				        - sql:
				            sql: CREATE TABLE other (id int)
				""";
		this.changeLog.write(ORDERS, other, ADD_NOTE.replace("2-add-note", "3-add-note"), ADD_CODE.replace("3-add-code",
				"4-add-code"));
		MigrationEngine engine = engine(new DdlSettings(Duration.ofMillis(300), 5));
		try (Connection blocker = blockingReader("report-job")) {
			CompletableFuture<Void> ends = endLater(blocker, Duration.ofMillis(450));
			// 2-other applies, 3-add-note times out: the retry runs the one changeset still asked for, not two.
			new MigrationCommands(engine).update(UpdateTarget.count(2));
			ends.join();
		}
		assertThat(this.db.rows(HISTORY)).extracting((row) -> row.get(0))
			.containsExactly("1-orders", "2-other", "3-add-note");
		assertThat(messages()).anyMatch((line) -> line.contains("retry 1/5") && line.contains("3-add-note"));
	}

	@Test
	void lockTimeoutZeroWaitsAsLongAsItTakes() throws Exception {
		this.changeLog.write(ORDERS, ADD_NOTE);
		MigrationEngine engine = engine(DdlSettings.OFF);
		try (Connection blocker = blockingReader("report-job")) {
			CompletableFuture<Void> ends = endLater(blocker, Duration.ofMillis(1500));
			engine.apply();
			ends.join();
		}
		assertThat(columns()).contains("note");
		assertThat(messages()).noneMatch((line) -> line.contains("retry"));
	}

	private MigrationEngine engine(DdlSettings ddl) {
		MigrationEngine engine = this.changeLog.engine(this.db);
		engine.configureDdl(ddl);
		return engine;
	}

	private static SimpleMeterRegistry metrics(MigrationEngine engine) {
		MigrationMonitor monitor = new MigrationMonitor(engine, MigrationMode.APPLY, Duration.ofSeconds(10));
		engine.addListener(monitor);
		SimpleMeterRegistry registry = new SimpleMeterRegistry();
		new MigrationsMetrics(engine, monitor).bindTo(registry);
		return registry;
	}

	/** A session that read the table in a transaction it keeps open: it holds ACCESS SHARE on it. */
	private Connection blockingReader(String applicationName) throws SQLException {
		Connection connection = connect(applicationName);
		connection.setAutoCommit(false);
		try (Statement statement = connection.createStatement()) {
			statement.executeQuery("SELECT count(*) FROM orders").close();
		}
		return connection;
	}

	private Connection connect(String applicationName) throws SQLException {
		Properties properties = new Properties();
		properties.setProperty("user", this.db.user());
		properties.setProperty("password", this.db.password());
		properties.setProperty("ApplicationName", applicationName);
		return DriverManager.getConnection(this.db.url(), properties);
	}

	/** Ends the blocker's transaction the given time after the migration first waited for its lock. */
	private CompletableFuture<Void> endLater(Connection blocker, Duration after) {
		return CompletableFuture.runAsync(() -> {
			long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
			while (this.db.count("SELECT count(*) FROM pg_locks WHERE NOT granted AND relation = 'orders'::regclass") == 0
					&& System.nanoTime() < deadline) {
				sleep(10);
			}
			sleep(after.toMillis());
			try {
				blocker.commit();
			}
			catch (SQLException ex) {
				throw new IllegalStateException(ex);
			}
		}, ThreadPerTask.EXECUTOR);
	}

	private List<String> columns() {
		return this.db.rows("SELECT column_name FROM information_schema.columns WHERE table_name = 'orders'")
			.stream()
			.map((row) -> row.get(0))
			.toList();
	}

	private List<String> messages() {
		return this.log.list.stream().map(ILoggingEvent::getFormattedMessage).toList();
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
