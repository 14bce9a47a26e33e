package dev.lockstep.core.lock;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.sql.Timestamp;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import dev.lockstep.core.DatabaseUnavailableException;
import dev.lockstep.core.LockHolder;
import dev.lockstep.core.LockTimeoutException;
import dev.lockstep.core.LockWaitInterruptedException;

/**
 * A session-level PostgreSQL advisory lock, held on a connection that belongs to the run alone.
 * <p>
 * The lock is polled with {@code pg_try_advisory_lock} in autocommit mode, so a waiting instance holds no
 * transaction and no snapshot. When the holder dies, PostgreSQL ends its idle lock session at once and the lock is
 * free; the dead holder's other connection, which may still be running a long statement and holding that
 * changeset's table locks, is terminated by the next holder before it starts.
 */
public final class PostgresAdvisoryLock implements MigrationLock {

	private static final Logger logger = LoggerFactory.getLogger(PostgresAdvisoryLock.class);

	static final Duration POLL_INTERVAL = Duration.ofMillis(50);

	static final Duration REPORT_INTERVAL = Duration.ofSeconds(5);

	static final Duration ORPHAN_EXIT_WAIT = Duration.ofSeconds(10);

	private static final String HOLDER_QUERY = """
			SELECT a.pid, a.application_name, host(a.client_addr), a.state_change
			FROM pg_locks l JOIN pg_stat_activity a ON a.pid = l.pid
			WHERE l.locktype = 'advisory' AND l.granted AND l.classid = CAST(? AS oid)
			  AND l.objid = CAST(? AS oid) AND l.objsubid = 2
			  AND l.database = (SELECT oid FROM pg_database WHERE datname = current_database())
			""";

	private static final String ORPHANS_QUERY = """
			SELECT pid FROM pg_stat_activity
			WHERE datname = current_database() AND application_name = ? AND pid <> pg_backend_pid()
			""";

	private final Function<String, Connection> connections;

	private final LockKey key;

	private final String holderName;

	/**
	 * @param connections opens a new connection of the lock's own, labelled with the given application name
	 * @param key the lock key
	 * @param holderName application name that tells waiting instances who holds the lock
	 */
	public PostgresAdvisoryLock(Function<String, Connection> connections, LockKey key, String holderName) {
		this.connections = connections;
		this.key = key;
		this.holderName = holderName;
	}

	public static String holderName(String application, long pid, String host) {
		return HolderName.encode(application, pid, host);
	}

	@Override
	public boolean isAdvisory() {
		return true;
	}

	@Override
	public LockHandle acquire(Duration timeout, WaitObserver observer,
			java.util.function.BooleanSupplier noLongerNeeded) {
		Connection connection = this.connections.apply(this.holderName);
		boolean acquired = false;
		try {
			prepare(connection);
			// A session lock is meaningless on a connection pooled per transaction: refuse before taking it.
			new TransactionPoolingCheck(this.connections).verify(connection);
			long start = System.nanoTime();
			long deadline = start + timeout.toNanos();
			long nextReport = start + REPORT_INTERVAL.toNanos();
			boolean contended = false;
			while (!tryLock(connection)) {
				contended = true;
				long now = System.nanoTime();
				if (now - deadline >= 0) {
					LockHolder holder = holder(connection);
					String who = (holder != null) ? holder.describe() : "an instance that has since released it";
					throw new LockTimeoutException(
							"Timed out after " + format(timeout) + " waiting for the migration lock held by " + who
									+ ". Nothing was changed.",
							"Wait for that run to finish and start again, or raise migrations.lock.wait-timeout. "
									+ "If the holder is gone, its session ends as soon as PostgreSQL notices; "
									+ "pg_terminate_backend(" + ((holder != null) ? "its pid" : "pid")
									+ ") frees it at once.",
							holder);
				}
				if (noLongerNeeded.getAsBoolean()) {
					return null;
				}
				if (now - nextReport >= 0) {
					observer.stillWaiting(holder(connection), Duration.ofNanos(now - start));
					nextReport = now + REPORT_INTERVAL.toNanos();
				}
				sleep(Math.min(POLL_INTERVAL.toNanos(), Math.max(deadline - now, 0)));
			}
			// Got at the first try: no wait, whatever the round trip took (the log reports waits only).
			Duration waited = contended ? Duration.ofNanos(System.nanoTime() - start) : Duration.ZERO;
			markAcquired(connection);
			terminateOrphans(connection);
			acquired = true;
			return new AdvisoryLockHandle(connection, waited);
		}
		catch (SQLException ex) {
			throw new DatabaseUnavailableException("(migration lock)", ex);
		}
		finally {
			if (!acquired) {
				closeQuietly(connection);
			}
		}
	}

	@Override
	public LockHolder holder(Connection connection) {
		try (PreparedStatement statement = connection.prepareStatement(HOLDER_QUERY)) {
			statement.setInt(1, this.key.classId());
			statement.setInt(2, this.key.objectId());
			try (ResultSet rows = statement.executeQuery()) {
				if (!rows.next()) {
					return null;
				}
				Timestamp since = rows.getTimestamp(4);
				return HolderName.decode(rows.getString(2), rows.getString(3),
						(since != null) ? since.toInstant() : null);
			}
		}
		catch (SQLException ex) {
			// Reading pg_locks may be restricted; the lock itself still works.
			return null;
		}
	}

	private void prepare(Connection connection) throws SQLException {
		connection.setAutoCommit(true);
		try (Statement statement = connection.createStatement()) {
			// A holder on a lost node (no FIN) is detected by keepalives instead of the default two hours.
			statement.execute("SET tcp_keepalives_idle = 10");
			statement.execute("SET tcp_keepalives_interval = 5");
			statement.execute("SET tcp_keepalives_count = 3");
		}
		catch (SQLException ex) {
			// Unix-domain sockets and some poolers refuse these; the lock works without them.
		}
	}

	private boolean tryLock(Connection connection) throws SQLException {
		try (PreparedStatement statement = connection.prepareStatement("SELECT pg_try_advisory_lock(?, ?)")) {
			statement.setInt(1, this.key.classId());
			statement.setInt(2, this.key.objectId());
			try (ResultSet rows = statement.executeQuery()) {
				rows.next();
				return rows.getBoolean(1);
			}
		}
	}

	private void markAcquired(Connection connection) throws SQLException {
		// Leaves the lock session idle from now on: its state_change then tells waiters since when it is held.
		try (Statement statement = connection.createStatement()) {
			statement.execute("SELECT 1");
		}
	}

	/**
	 * Ends the run connections of holders that died: their backends may still be executing a statement and hold
	 * its table locks until PostgreSQL notices the client is gone. A live holder would hold the lock we now hold,
	 * so every such connection is an orphan.
	 */
	private void terminateOrphans(Connection connection) throws SQLException {
		List<Integer> orphans = orphanPids(connection);
		if (orphans.isEmpty()) {
			return;
		}
		logger.warn("Ending {} session(s) left by a migration run that died (backend pid {}); their uncommitted "
				+ "changes are rolled back", orphans.size(), orphans);
		for (Integer pid : orphans) {
			try (PreparedStatement statement = connection.prepareStatement("SELECT pg_terminate_backend(?)")) {
				statement.setInt(1, pid);
				statement.execute();
			}
			catch (SQLException ex) {
				logger.warn("Could not end session {} ({}); the run waits for its statement to finish", pid,
						ex.getMessage());
			}
		}
		long deadline = System.nanoTime() + ORPHAN_EXIT_WAIT.toNanos();
		while (!orphanPids(connection).isEmpty() && System.nanoTime() - deadline < 0) {
			sleep(Duration.ofMillis(10).toNanos());
		}
	}

	private List<Integer> orphanPids(Connection connection) throws SQLException {
		List<Integer> pids = new ArrayList<>();
		try (PreparedStatement statement = connection.prepareStatement(ORPHANS_QUERY)) {
			statement.setString(1, this.key.runConnectionName());
			try (ResultSet rows = statement.executeQuery()) {
				while (rows.next()) {
					pids.add(rows.getInt(1));
				}
			}
		}
		return pids;
	}

	private static void sleep(long nanos) {
		try {
			Thread.sleep(nanos / 1_000_000, (int) (nanos % 1_000_000));
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			throw new LockWaitInterruptedException();
		}
	}

	static String format(Duration duration) {
		return (duration.toMillis() % 1000 == 0) ? duration.toSeconds() + " s" : duration.toMillis() + " ms";
	}

	private static void closeQuietly(Connection connection) {
		try {
			connection.close();
		}
		catch (SQLException ex) {
			// Closing the session releases the lock anyway.
		}
	}

	private final class AdvisoryLockHandle implements LockHandle {

		private final Connection connection;

		private final Duration waited;

		AdvisoryLockHandle(Connection connection, Duration waited) {
			this.connection = connection;
			this.waited = waited;
		}

		@Override
		public Duration waited() {
			return this.waited;
		}

		@Override
		public void close() {
			try (PreparedStatement statement = this.connection.prepareStatement("SELECT pg_advisory_unlock(?, ?)")) {
				statement.setInt(1, PostgresAdvisoryLock.this.key.classId());
				statement.setInt(2, PostgresAdvisoryLock.this.key.objectId());
				statement.execute();
			}
			catch (SQLException ex) {
				// Closing the session below releases it too.
			}
			finally {
				closeQuietly(this.connection);
			}
		}

	}

}
