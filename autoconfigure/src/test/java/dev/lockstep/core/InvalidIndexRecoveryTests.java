package dev.lockstep.core;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
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

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.LoggerFactory;

import dev.lockstep.command.CommandExecutor;
import dev.lockstep.core.api.DdlSettings;
import dev.lockstep.core.problem.ChangeSetFailedException;
import dev.lockstep.test.ChangeLogFile;
import dev.lockstep.test.TestDatabase;
import dev.lockstep.test.TestDatabases;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

/**
 * A failed {@code CREATE INDEX CONCURRENTLY} leaves an INVALID index behind: the status lists it, and the next run
 * of its changeset drops it concurrently (saying so) and builds it again, instead of failing on "already exists".
 */
class InvalidIndexRecoveryTests {

	private static final String ORDERS = """
			  - changeSet:
			      id: 1-orders
			      author: ana
			      changes:
			        - sql:
			            sql: CREATE TABLE orders (id int PRIMARY KEY, ref int); INSERT INTO orders SELECT g, g % 50 FROM generate_series(1, 100) g
			""";

	private static final String UNIQUE_REF = """
			  - changeSet:
			      id: 2-unique-ref
			      author: ben
			      runInTransaction: false
			      changes:
			        - sql:
			            sql: CREATE UNIQUE INDEX CONCURRENTLY orders_ref_idx ON orders (ref)
			""";

	private static final String INDEX_VALID = "SELECT i.indisvalid::text FROM pg_index i JOIN pg_class c "
			+ "ON c.oid = i.indexrelid WHERE c.relname = 'orders_ref_idx'";

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
	void failedConcurrentIndexIsListedThenDroppedAndBuiltByTheNextRun() {
		this.changeLog.write(ORDERS, UNIQUE_REF);
		MigrationEngine engine = this.changeLog.engine(this.db);
		assertThatExceptionOfType(ChangeSetFailedException.class).isThrownBy(engine::apply)
			.withMessageContaining("2-unique-ref::ben");
		assertThat(this.db.rows(INDEX_VALID)).containsExactly(List.of("false"));

		assertThat(engine.status().invalidIndexes()).containsExactly("orders_ref_idx");
		String status = execute("status");
		assertThat(status).contains("Invalid     1 INVALID index(es): orders_ref_idx");
		assertThat(execute("status", "--format=json")).contains("\"invalidIndexes\":[\"orders_ref_idx\"]");

		this.db.execute("UPDATE orders SET ref = id");
		this.changeLog.engine(this.db).apply();

		assertThat(messages()).anyMatch((line) -> line.contains("Index public.orders_ref_idx is INVALID")
				&& line.contains("dropping it concurrently") && line.contains("2-unique-ref::ben"));
		assertThat(this.db.rows(INDEX_VALID)).containsExactly(List.of("true"));
		assertThat(this.db.count("SELECT count(*) FROM databasechangelog WHERE id = '2-unique-ref'")).isEqualTo(1);
		assertThat(this.changeLog.engine(this.db).status().invalidIndexes()).isEmpty();
		assertThat(execute("status", "--format=json")).contains("\"invalidIndexes\":[]");
		assertThat(execute("status")).doesNotContain("INVALID");
	}

	@Test
	void concurrentIndexThatTimedOutWaitingForAnOldTransactionIsRebuiltOnRetry() throws Exception {
		this.db.execute("UPDATE orders SET ref = id");
		this.changeLog.write(ORDERS, UNIQUE_REF);
		MigrationEngine engine = this.changeLog.engine(this.db);
		engine.configureDdl(new DdlSettings(Duration.ofMillis(300), 10));
		// A snapshot older than the index: CREATE INDEX CONCURRENTLY waits for it after it made the (INVALID) index.
		try (Connection blocker = connect("nightly-export")) {
			blocker.setAutoCommit(false);
			try (Statement statement = blocker.createStatement()) {
				statement.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ");
				statement.executeQuery("SELECT count(*) FROM orders").close();
			}
			CompletableFuture<Void> ends = CompletableFuture.runAsync(() -> {
				long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
				while (this.db.count("SELECT count(*) FROM pg_class WHERE relname = 'orders_ref_idx'") == 0
						&& System.nanoTime() < deadline) {
					sleep(10);
				}
				sleep(1000);
				try {
					blocker.commit();
				}
				catch (SQLException ex) {
					throw new IllegalStateException(ex);
				}
			});
			engine.apply();
			ends.join();
		}
		assertThat(messages()).anyMatch((line) -> line.contains("retry 1/10") && line.contains("nightly-export"));
		assertThat(messages()).anyMatch((line) -> line.contains("Index public.orders_ref_idx is INVALID"));
		assertThat(this.db.rows(INDEX_VALID)).containsExactly(List.of("true"));
		assertThat(engine.status().invalidIndexes()).isEmpty();
	}

	private String execute(String... args) {
		ByteArrayOutputStream out = new ByteArrayOutputStream();
		ByteArrayOutputStream err = new ByteArrayOutputStream();
		CommandExecutor executor = new CommandExecutor(new MigrationCommands(this.changeLog.engine(this.db)),
				this.changeLog.location(), new PrintStream(out, true, StandardCharsets.UTF_8),
				new PrintStream(err, true, StandardCharsets.UTF_8));
		List<String> arguments = new java.util.ArrayList<>(List.of("migrations"));
		arguments.addAll(List.of(args));
		executor.execute(arguments);
		return out.toString(StandardCharsets.UTF_8);
	}

	private Connection connect(String applicationName) throws SQLException {
		Properties properties = new Properties();
		properties.setProperty("user", this.db.user());
		properties.setProperty("password", this.db.password());
		properties.setProperty("ApplicationName", applicationName);
		return DriverManager.getConnection(this.db.url(), properties);
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
