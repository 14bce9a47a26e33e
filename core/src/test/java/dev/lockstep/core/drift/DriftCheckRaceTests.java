package dev.lockstep.core.drift;

import java.io.IOException;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.Proxy;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;

import liquibase.resource.DirectoryResourceAccessor;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import dev.lockstep.core.MigrationEngine;
import dev.lockstep.core.api.DriftReport;
import dev.lockstep.core.api.DriftState;
import dev.lockstep.core.api.MigrationMode;
import dev.lockstep.core.api.MigrationSettings;
import dev.lockstep.core.jdbc.HistoryLocation;
import dev.lockstep.core.lock.LockKey;
import dev.lockstep.core.lock.PostgresAdvisoryLock;
import dev.lockstep.core.test.TestDatabase;
import dev.lockstep.core.test.TestDatabases;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A drift check racing a run of another instance, at the two moments a loop of checks seldom hits: the run is made
 * to happen exactly while the check is between two of its reads (the check's connection runs the run's work just
 * before the statement named). Real database, real lock, real runs; only the timing is forced.
 */
class DriftCheckRaceTests {

	private static final String CUSTOMERS = """
			--changeset t:1-customers
			CREATE TABLE customers (id int PRIMARY KEY, name text);
			""";

	private static final String ORDERS = """
			--changeset t:2-orders
			CREATE TABLE orders (id int PRIMARY KEY, customer_id int REFERENCES customers (id));
			""";

	/** The start of the history read (HistoryRows). */
	private static final String HISTORY_READ = "ORDEREXECUTED, DATEEXECUTED";

	/** The first query of the catalog read (CatalogReader's relations). */
	private static final String CATALOG_READ = "c.relpersistence";

	@TempDir
	Path dir;

	private final TestDatabase db = TestDatabases.create();

	/**
	 * A run commits a changeset and dies (kill -9) before it can record, after the check compared the history and
	 * before it read the catalog: its table is in the history, so it is not drift; the record is stale.
	 */
	@Test
	void aRunThatDiesBeforeRecordingWhileTheCatalogIsReadIsAStaleRecordNotDrift() throws Exception {
		writeChangeLog(CUSTOMERS);
		engine().run(MigrationMode.APPLY);
		writeChangeLog(CUSTOMERS, ORDERS);
		MigrationEngine dying = engine();
		dying.configureDrift(false, List.of()); // applies without recording, as a run killed before it recorded

		DriftReport report = checkWith(CATALOG_READ, () -> dying.run(MigrationMode.APPLY));

		assertThat(this.db.tableExists("orders")).as("the run happened during the check").isTrue();
		assertThat(report.objects()).as("objects reported").isEmpty();
		assertThat(report.state()).as("%s", report).isEqualTo(DriftState.STALE_RECORD);
		assertThat(engine().checkDrift().state()).as("the next check").isEqualTo(DriftState.STALE_RECORD);
	}

	/**
	 * A whole run (lock, apply, record) happens after the check read the record and before it read the history: the
	 * record is not stale, a newer one was written meanwhile.
	 */
	@Test
	void aRunThatRecordsWhileTheHistoryIsReadIsNotAStaleRecord() throws Exception {
		writeChangeLog(CUSTOMERS);
		engine().run(MigrationMode.APPLY);
		writeChangeLog(CUSTOMERS, ORDERS);
		long version = this.db.count("SELECT version FROM lockstep_schema_record");

		DriftReport report = checkWith(HISTORY_READ, () -> engine().run(MigrationMode.APPLY));

		assertThat(this.db.count("SELECT version FROM lockstep_schema_record")).as("the run recorded during the check")
			.isGreaterThan(version);
		assertThat(report.state()).as("%s", report).isEqualTo(DriftState.RUN_IN_PROGRESS);
		assertThat(report.message()).contains("recorded the schema while it was read");
		assertThat(engine().checkDrift().state()).as("the next check").isEqualTo(DriftState.CLEAN);
	}

	/** Checks drift on a connection that runs {@code run} once, just before the first statement containing the text. */
	private DriftReport checkWith(String beforeStatement, Runnable run) throws SQLException {
		HistoryLocation history = new HistoryLocation(null);
		SchemaDrift drift = new SchemaDrift(null, history);
		PostgresAdvisoryLock lock = new PostgresAdvisoryLock((name) -> {
			throw new UnsupportedOperationException("only the holder is looked at");
		}, LockKey.forSchema("public"), "drift-check", "public.databasechangeloglock");
		try (Connection connection = this.db.connect()) {
			AtomicBoolean done = new AtomicBoolean();
			Runnable once = () -> {
				if (done.compareAndSet(false, true)) {
					run.run();
				}
			};
			DriftReport report = drift.check(interleaving(connection, beforeStatement, once), lock);
			assertThat(done).as("the run was made to happen during the check").isTrue();
			return report;
		}
	}

	/** The connection, with {@code action} run before the statement whose SQL contains the text. */
	private static Connection interleaving(Connection connection, String text, Runnable action) {
		return (Connection) Proxy.newProxyInstance(DriftCheckRaceTests.class.getClassLoader(),
				new Class<?>[] { Connection.class }, (proxy, method, args) -> {
					if (method.getName().equals("prepareStatement") && args != null && args[0] instanceof String sql
							&& sql.contains(text)) {
						action.run();
					}
					Object result = invoke(connection, method, args);
					if (result instanceof Statement statement && method.getName().equals("createStatement")) {
						return Proxy.newProxyInstance(DriftCheckRaceTests.class.getClassLoader(),
								new Class<?>[] { Statement.class }, (p, m, a) -> {
									if (m.getName().startsWith("execute") && a != null && a.length > 0
											&& a[0] instanceof String sql && sql.contains(text)) {
										action.run();
									}
									return invoke(statement, m, a);
								});
					}
					return result;
				});
	}

	private static Object invoke(Object target, Method method, Object[] args) throws Throwable {
		try {
			return method.invoke(target, args);
		}
		catch (InvocationTargetException ex) {
			throw ex.getCause();
		}
	}

	private MigrationEngine engine() {
		try {
			return new MigrationEngine(this.db.dataSource(), new DirectoryResourceAccessor(this.dir),
					MigrationSettings.of("master.sql"));
		}
		catch (IOException ex) {
			throw new IllegalStateException(ex);
		}
	}

	private void writeChangeLog(String... changeSets) throws IOException {
		Files.writeString(this.dir.resolve("master.sql"), "--liquibase formatted sql\n\n" + String.join("\n", changeSets));
	}

}
