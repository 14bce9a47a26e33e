package dev.lockstep.core.lock;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.util.function.Function;

import dev.lockstep.core.api.LockHolder;
import dev.lockstep.core.problem.DatabaseUnavailableException;
import dev.lockstep.core.problem.LockTimeoutException;
import dev.lockstep.core.problem.LockWaitInterruptedException;

/**
 * A session-level PostgreSQL advisory lock, held by the very session that does the run's work (as Flyway does).
 * <p>
 * The run's connection polls {@code pg_try_advisory_lock(bigint)} in autocommit mode, so a waiting instance holds
 * no transaction and no snapshot. Once it holds the lock, the same connection applies the changesets and records
 * the run ({@link LockHandle#session()}). The lock therefore cannot be lost while the run goes on: if that session
 * ends (killed, timed out, the server restarted), the run's open transaction is rolled back by PostgreSQL and the
 * run cannot commit anything more; when the holder's process dies, PostgreSQL ends the session (within
 * {@code client_connection_check_interval} even in the middle of a statement) and the lock is free. A new holder
 * never ends anybody's session: no second session of a holder exists that could still be applying.
 */
public final class PostgresAdvisoryLock implements MigrationLock {

	static final Duration POLL_INTERVAL = Duration.ofMillis(50);

	static final Duration REPORT_INTERVAL = Duration.ofSeconds(5);

	private static final String HOLDER_QUERY = """
			SELECT a.pid, a.application_name, host(a.client_addr), a.state_change
			FROM pg_locks l JOIN pg_stat_activity a ON a.pid = l.pid
			WHERE l.locktype = 'advisory' AND l.granted AND l.classid = CAST(? AS oid)
			  AND l.objid = CAST(? AS oid) AND l.objsubid = 1
			  AND l.database = (SELECT oid FROM pg_database WHERE datname = current_database())
			""";

	private final Function<String, Connection> connections;

	private final LockKey key;

	private final String holderName;

	/**
	 * @param connections opens a new connection of the run's own, labelled with the given application name
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
			connection.setAutoCommit(true);
			RunSessionSettings.applyToRunSession(connection);
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
			statement.setLong(1, Integer.toUnsignedLong(this.key.classId()));
			statement.setLong(2, Integer.toUnsignedLong(this.key.objectId()));
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

	private boolean tryLock(Connection connection) throws SQLException {
		try (PreparedStatement statement = connection.prepareStatement("SELECT pg_try_advisory_lock(?)")) {
			statement.setLong(1, this.key.value());
			try (ResultSet rows = statement.executeQuery()) {
				rows.next();
				return rows.getBoolean(1);
			}
		}
	}

	/**
	 * Tells waiters since when the lock is held, in the session's application name: the session runs statements
	 * from now on, so its {@code state_change} no longer says it.
	 */
	private void markAcquired(Connection connection) throws SQLException {
		try (PreparedStatement statement = connection
			.prepareStatement("SELECT set_config('application_name', ?, false)")) {
			statement.setString(1, HolderName.holding(this.holderName, Instant.now()));
			statement.execute();
		}
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
		public void abandon() {
			// A blackholed connection would block an unlock forever; closing the socket does not block.
			try {
				this.connection.abort(Runnable::run);
			}
			catch (SQLException ex) {
				// Already closed.
			}
		}

		@Override
		public Connection session() {
			return this.connection;
		}

		/**
		 * Ends what the run left open, releases the lock and closes the session. The explicit unlock matters when
		 * the DataSource pools connections: a pooled session would otherwise keep the lock.
		 */
		@Override
		public void close() {
			try {
				if (!this.connection.getAutoCommit()) {
					this.connection.rollback();
					this.connection.setAutoCommit(true);
				}
				try (PreparedStatement statement = this.connection.prepareStatement("SELECT pg_advisory_unlock(?)")) {
					statement.setLong(1, PostgresAdvisoryLock.this.key.value());
					statement.execute();
				}
			}
			catch (SQLException ex) {
				// A session that is gone holds no lock; closing it below releases it too.
			}
			finally {
				closeQuietly(this.connection);
			}
		}

	}

}
