package dev.lockstep.autoconfigure;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Properties;

import io.micrometer.core.instrument.MeterRegistry;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;

import dev.lockstep.command.MigrationsWording;
import dev.lockstep.core.problem.ChangeSetLockTimeoutException;
import dev.lockstep.test.ChangeLogFile;
import dev.lockstep.test.RunningApp;
import dev.lockstep.test.TestDatabase;
import dev.lockstep.test.TestDatabases;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code migrations.ddl.*} reach the startup run, whose failure names the blocker and the properties to raise;
 * {@code /actuator/migrations} lists INVALID indexes; the retry counter is there from the start.
 */
class MigrationsDdlTests {

	private static final String ORDERS = """
			  - changeSet:
			      id: 1-orders
			      author: ana
			      changes:
			        - sql:
			            sql: CREATE TABLE orders (id int PRIMARY KEY, ref int); INSERT INTO orders SELECT g, g % 10 FROM generate_series(1, 100) g
			""";

	private static final String ADD_NOTE = """
			  - changeSet:
			      id: 2-add-note
			      author: ben
			      changes:
			        - sql:
			            sql: ALTER TABLE orders ADD COLUMN note text
			""";

	@TempDir
	Path dir;

	@Test
	void startupRunUnderTheConfiguredLockTimeoutFailsNamingTheBlockerAndTheProperties() throws SQLException {
		TestDatabase db = TestDatabases.create();
		ChangeLogFile changeLog = ChangeLogFile.in(this.dir).write(ORDERS);
		changeLog.applyTo(db);
		changeLog.write(ORDERS, ADD_NOTE);
		try (Connection blocker = connect(db, "report-job")) {
			blocker.setAutoCommit(false);
			try (Statement statement = blocker.createStatement()) {
				statement.executeQuery("SELECT count(*) FROM orders").close();
			}
			Throwable failure = RunningApp.failToStart(db, changeLog.property(), "migrations.ddl.lock-timeout=250ms",
					"migrations.ddl.retries=1");
			ChangeSetLockTimeoutException problem = find(failure);
			assertThat(problem.getMessage()).contains("2-add-note::ben", "250 ms", "2 tries", "report-job");
			assertThat(problem.action(MigrationsWording.INSTANCE))
				.contains("migrations.ddl.lock-timeout or migrations.ddl.retries");
			blocker.rollback();
		}
		assertThat(db.count("SELECT count(*) FROM databasechangelog")).isEqualTo(1);
	}

	@Test
	void endpointListsInvalidIndexesAndTheRetryCounterStartsAtZero() {
		TestDatabase db = TestDatabases.create();
		db.execute("CREATE TABLE refs (ref int)");
		db.execute("INSERT INTO refs VALUES (1), (1)");
		try {
			db.execute("CREATE UNIQUE INDEX CONCURRENTLY refs_ref_idx ON refs (ref)");
		}
		catch (RuntimeException ex) {
			// Duplicate keys: the index stays, INVALID.
		}
		try (RunningApp app = RunningApp.start(db)) {
			JsonNode status = app.json("/actuator/migrations");
			assertThat(status.path("invalidIndexes").toString()).isEqualTo("[\"refs_ref_idx\"]");
			assertThat(app.bean(MeterRegistry.class).get("migrations.ddl.lock.retries").counter().count()).isZero();
		}
	}

	private static ChangeSetLockTimeoutException find(Throwable failure) {
		for (Throwable cause = failure; cause != null; cause = cause.getCause()) {
			if (cause instanceof ChangeSetLockTimeoutException problem) {
				return problem;
			}
		}
		throw new AssertionError("No lock timeout problem in " + failure, failure);
	}

	private static Connection connect(TestDatabase db, String applicationName) throws SQLException {
		Properties properties = new Properties();
		properties.setProperty("user", db.user());
		properties.setProperty("password", db.password());
		properties.setProperty("ApplicationName", applicationName);
		return DriverManager.getConnection(db.url(), properties);
	}

}
