package dev.lockstep.core.lock;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import java.util.function.BooleanSupplier;
import java.util.function.Function;

import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import dev.lockstep.core.api.LockHolder;
import dev.lockstep.core.problem.DatabaseUnavailableException;
import dev.lockstep.core.problem.LockTimeoutException;
import dev.lockstep.core.problem.Wording;

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
 * <p>
 * Liquibase's DATABASECHANGELOGLOCK row is still taken during the run (by {@link LockstepLockService}), as a courtesy
 * to Liquibase clients that know nothing of the advisory lock; closing the handle releases a row the run left
 * locked.
 */
public final class PostgresAdvisoryLock implements MigrationLock {

	private static final Logger logger = LoggerFactory.getLogger("dev.lockstep.Migrations");

	static final Duration POLL_INTERVAL = Duration.ofMillis(50);

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

	private final String changeLogLockTable;

	/**
	 * @param connections opens a new connection of the run's own, labelled with the given application name
	 * @param key the lock key
	 * @param holderName application name that tells waiting instances who holds the lock
	 * @param changeLogLockTable the qualified name of Liquibase's DATABASECHANGELOGLOCK beside the history
	 */
	public PostgresAdvisoryLock(Function<String, Connection> connections, LockKey key, String holderName,
			String changeLogLockTable) {
		this.connections = connections;
		this.key = key;
		this.holderName = holderName;
		this.changeLogLockTable = changeLogLockTable;
	}

	/** Makes this lock for PostgreSQL databases, keyed by the history's schema. */
	public static MigrationLockProvider provider() {
		return (connection, context) -> {
			if (!"PostgreSQL".equalsIgnoreCase(connection.getMetaData().getDatabaseProductName())) {
				return Optional.empty();
			}
			String schema = context.history().resolve(connection).schema();
			return Optional.of(new PostgresAdvisoryLock(context.connections(),
					LockKey.forSchema((schema != null) ? schema : ""), context.holderName(),
					context.history().table(connection, "DATABASECHANGELOGLOCK")));
		};
	}

	/** The application name of a process's run session: {@code lockstep:<pid>@<host>:<application>}. */
	public static String holderName(String application, long pid, String host) {
		return HolderName.encode(application, pid, host);
	}

	/**
	 * Liquibase's row is taken by {@link LockstepLockService}, which takes over a row left by a dead Lockstep run
	 * and waits up to {@code rowWaitTimeout} for one held by another Liquibase client.
	 */
	@Override
	public Map<String, Object> liquibaseScope(Duration rowWaitTimeout) {
		return LockstepLockService.scope(this.holderName, rowWaitTimeout);
	}

	@Override
	public Optional<LockHandle> acquire(Duration timeout, WaitObserver observer, BooleanSupplier doneElsewhere) {
		Connection connection = this.connections.apply(this.holderName);
		boolean acquired = false;
		try {
			connection.setAutoCommit(true);
			RunSessionSettings.applyToRunSession(connection);
			// A session lock is meaningless on a connection pooled per transaction: refuse before taking it.
			new TransactionPoolingCheck(this.connections).verify(connection);
			Optional<Duration> waited = new LockWait(timeout, observer, doneElsewhere).poll(POLL_INTERVAL,
					() -> tryLock(connection), () -> holder(connection), (holder) -> timedOut(timeout, holder));
			if (waited.isEmpty()) {
				return Optional.empty();
			}
			markAcquired(connection);
			acquired = true;
			return Optional.of(new AdvisoryLockHandle(connection, waited.get()));
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
	public Optional<LockHolder> holder(Connection connection) {
		try (PreparedStatement statement = connection.prepareStatement(HOLDER_QUERY)) {
			statement.setLong(1, Integer.toUnsignedLong(this.key.classId()));
			statement.setLong(2, Integer.toUnsignedLong(this.key.objectId()));
			try (ResultSet rows = statement.executeQuery()) {
				if (!rows.next()) {
					return Optional.empty();
				}
				Timestamp since = rows.getTimestamp(4);
				return Optional.of(HolderName.decode(rows.getString(2), rows.getString(3),
						(since != null) ? since.toInstant() : null));
			}
		}
		catch (SQLException ex) {
			// Reading pg_locks may be restricted; the lock itself still works.
			return Optional.empty();
		}
	}

	/**
	 * The holder's data and a sentence that names no setting: the caller knows how the wait is configured and adds
	 * that to the action.
	 */
	private static LockTimeoutException timedOut(Duration timeout, @Nullable LockHolder holder) {
		String who = (holder != null) ? holder.describe() : "an instance that has since released it";
		return new LockTimeoutException(
				"Timed out after " + LockWait.format(timeout) + " waiting for the migration lock held by " + who
						+ ". Nothing was changed.",
				(wording) -> "Wait for that run to finish and start again, or raise "
						+ wording.setting(Wording.Setting.LOCK_WAIT_TIMEOUT) + ". If the holder is "
						+ "gone, its session ends as soon as PostgreSQL notices; pg_terminate_backend("
						+ ((holder != null) ? "its pid" : "pid") + ") frees it at once.",
				holder);
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

	private static void closeQuietly(Connection connection) {
		try {
			connection.close();
		}
		catch (SQLException ex) {
			// Closing the session releases the lock anyway.
		}
	}

	private final class AdvisoryLockHandle extends SessionLockHandle {

		private final Connection connection;

		AdvisoryLockHandle(Connection connection, Duration waited) {
			super(connection, waited);
			this.connection = connection;
		}

		/**
		 * Ends what the run left open, releases Liquibase's row if the run left it locked, releases the lock and
		 * closes the session. The explicit unlock matters when the DataSource pools connections: a pooled session
		 * would otherwise keep the lock.
		 */
		@Override
		public void close() {
			try {
				if (!this.connection.getAutoCommit()) {
					this.connection.rollback();
					this.connection.setAutoCommit(true);
				}
				// Liquibase releases its row when its command ends, but its lock command step keeps per-JVM state:
				// another Liquibase command in this JVM meanwhile makes it skip the release. Still under the
				// advisory lock, a marked row can only be this run's own.
				if (ChangeLogLockRow.releaseIfHeldByLockstep(this.connection,
						PostgresAdvisoryLock.this.changeLogLockTable)) {
					logger.debug("Released Liquibase's DATABASECHANGELOGLOCK row, which Liquibase left locked after "
							+ "the run");
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
