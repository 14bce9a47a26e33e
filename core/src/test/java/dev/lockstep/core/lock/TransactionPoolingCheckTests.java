package dev.lockstep.core.lock;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;

import org.junit.jupiter.api.Test;

import dev.lockstep.core.problem.TransactionPoolingException;
import dev.lockstep.core.test.PgBouncer;
import dev.lockstep.core.test.TestDatabase;
import dev.lockstep.core.test.TestDatabases;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

/**
 * The pooling check against a real PostgreSQL, directly and through a real PgBouncer in each pool mode.
 */
class TransactionPoolingCheckTests {

	@Test
	void directConnectionPassesAndLeavesNoConnectionBehind() throws Exception {
		TestDatabase db = TestDatabases.create();
		Function<String, Connection> connections = connections(db.url(), db);
		try (Connection lockConnection = connections.apply("lockstep:1@host:test")) {
			new TransactionPoolingCheck(connections).verify(lockConnection);
			assertThat(lockConnection.isValid(1)).isTrue();
		}
		assertThat(db.count("SELECT count(*) FROM pg_stat_activity WHERE application_name = '"
				+ TransactionPoolingCheck.PROBE_CONNECTION_NAME + "'")).isZero();
	}

	@Test
	void sessionModePoolPasses() throws Exception {
		TestDatabase db = TestDatabases.create();
		try (PgBouncer pgBouncer = PgBouncer.start(db, "session")) {
			Function<String, Connection> connections = connections(pgBouncer.url(), db);
			try (Connection lockConnection = connections.apply("lockstep:1@host:test")) {
				new TransactionPoolingCheck(connections).verify(lockConnection);
			}
		}
	}

	@Test
	void transactionModePoolIsRefusedWithWhatWasSeenAndWhatToDo() throws Exception {
		TestDatabase db = TestDatabases.create();
		try (PgBouncer pgBouncer = PgBouncer.start(db, "transaction")) {
			TransactionPoolingException refused = refusal(pgBouncer, db, TransactionPoolingCheck.DEFAULT_TIMEOUT);
			assertThat(refused.certain()).isTrue();
			assertThat(refused.url()).isEqualTo(pgBouncer.url());
			assertThat(refused.getMessage())
				.startsWith("The migration lock's connection to " + pgBouncer.url() + " is pooled per transaction")
				.contains("backend pid")
				.endsWith("Nothing was changed.");
			assertThat(refused.action()).startsWith("Point the migration DataSource's url at the database directly");
		}
	}

	@Test
	void transactionModePoolWithOneServerConnectionIsRefusedWithoutWaiting() throws Exception {
		TestDatabase db = TestDatabases.create();
		try (PgBouncer pgBouncer = PgBouncer.start(db, "transaction", 1)) {
			long start = System.nanoTime();
			TransactionPoolingException refused = refusal(pgBouncer, db, Duration.ofSeconds(30));
			assertThat(refused.certain()).as(refused.getMessage()).isTrue();
			// The second connection gets the one server session while the lock connection is between
			// transactions: no wait for the timeout (a generous bound, well below it).
			assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(20));
		}
	}

	@Test
	void statementModePoolIsRefused() throws Exception {
		TestDatabase db = TestDatabases.create();
		try (PgBouncer pgBouncer = PgBouncer.start(db, "statement")) {
			TransactionPoolingException refused = refusal(pgBouncer, db, TransactionPoolingCheck.DEFAULT_TIMEOUT);
			assertThat(refused.certain()).isTrue();
			assertThat(refused.getMessage()).contains("statement pooling mode");
		}
	}

	@Test
	void sessionModePoolWithNoFreeServerConnectionIsRefusedAfterTheTimeoutRatherThanRisked() throws Exception {
		TestDatabase db = TestDatabases.create();
		try (PgBouncer pgBouncer = PgBouncer.start(db, "session", 1)) {
			TransactionPoolingException refused = refusal(pgBouncer, db, Duration.ofSeconds(2));
			assertThat(refused.certain()).isFalse();
			assertThat(refused.getMessage()).startsWith("Could not check that the migration lock's connection to "
					+ pgBouncer.url() + " is not pooled per transaction: a second connection was not opened within 2 s");
			assertThat(refused.action()).contains("let it serve one more connection");
		}
	}

	/**
	 * What the check prevents: two instances behind a transaction pooler, each asking for the lock. Before the
	 * check, both were told they hold it (their pg_try_advisory_lock ran on the same server session, where the
	 * lock is re-entrant).
	 */
	@Test
	void twoInstancesBehindATransactionPoolerAreNeverBothToldTheyHoldTheLock() throws Exception {
		TestDatabase db = TestDatabases.create();
		LockKey key = LockKey.forSchema("public");
		try (PgBouncer pgBouncer = PgBouncer.start(db, "transaction")) {
			Function<String, Connection> connections = connections(pgBouncer.url(), db);
			List<Object> outcomes = new ArrayList<>();
			List<LockHandle> held = new ArrayList<>();
			try {
				for (String instance : List.of("one", "two")) {
					PostgresAdvisoryLock lock = new PostgresAdvisoryLock(connections, key,
							PostgresAdvisoryLock.holderName(instance, 1, "host-" + instance),
							"public.databasechangeloglock");
					try {
						LockHandle handle = lock.acquire(Duration.ofSeconds(2), (holder, waited) -> {
						}, () -> false).orElseThrow();
						held.add(handle);
						outcomes.add(instance + " holds the lock");
					}
					catch (TransactionPoolingException ex) {
						outcomes.add(ex);
					}
				}
			}
			finally {
				held.forEach(LockHandle::close);
			}
			assertThat(outcomes).as("what each instance was told").hasSize(2)
				.allSatisfy((outcome) -> assertThat(outcome).isInstanceOf(TransactionPoolingException.class));
		}
		assertThat(db.count("SELECT count(*) FROM pg_locks WHERE locktype = 'advisory'")).isZero();
	}

	private static TransactionPoolingException refusal(PgBouncer pgBouncer, TestDatabase db, Duration timeout)
			throws SQLException {
		Function<String, Connection> connections = connections(pgBouncer.url(), db);
		try (Connection lockConnection = connections.apply("lockstep:1@host:test")) {
			return catchThrowableOfType(TransactionPoolingException.class,
					() -> new TransactionPoolingCheck(connections, timeout).verify(lockConnection));
		}
	}

	private static Function<String, Connection> connections(String url, TestDatabase db) {
		return (applicationName) -> {
			try {
				Connection connection = DriverManager.getConnection(url, db.user(), db.password());
				connection.setClientInfo("ApplicationName", applicationName);
				return connection;
			}
			catch (SQLException ex) {
				throw new IllegalStateException(ex);
			}
		};
	}

}
