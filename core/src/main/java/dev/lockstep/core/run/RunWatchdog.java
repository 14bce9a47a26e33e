package dev.lockstep.core.run;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.util.concurrent.Executor;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Supplier;

import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import dev.lockstep.core.jdbc.DatabaseSessions;
import dev.lockstep.core.problem.ChangeSetFailedException;
import dev.lockstep.core.problem.DatabaseErrors;
import dev.lockstep.core.problem.MigrationException;
import dev.lockstep.core.problem.MigrationLockLostException;

/**
 * Watches, from a second connection, that the session a run works on is still there, and ends the run when it is
 * not.
 * <p>
 * A run blocked on a socket that the network stopped carrying (a cut link, a dead NAT entry, a failed-over
 * address) waits for an answer that never comes: the driver has no socket timeout, because changesets may
 * legitimately run for hours. The watchdog tells a long statement from a lost connection by asking the database,
 * once a second, whether the run's backend still exists. When that backend is gone (the database restarted, an
 * administrator ended it), or the database has not answered for {@link #DEFAULT_TIMEOUT}, it aborts the run's
 * connection, so that the blocked thread returns with an error at once, and {@link #explain} turns that error into
 * a {@link MigrationLockLostException}.
 * <p>
 * Only PostgreSQL is watched; for other databases {@link #start} returns a watchdog that only explains errors.
 */
public final class RunWatchdog implements AutoCloseable {

	/** How long the database may not answer before the run is given up. */
	public static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(15);

	static final Duration CHECK_INTERVAL = Duration.ofSeconds(1);

	/** Bounds each check's round trip: a check that hangs counts as no answer. */
	static final Duration CHECK_TIMEOUT = Duration.ofSeconds(5);

	private static final Logger logger = LoggerFactory.getLogger("dev.lockstep.Migrations");

	/** A session's start in microseconds: a pid alone may be reused after a restart. */
	private static final String STARTED = "CAST(extract(epoch FROM backend_start) * 1000000 AS bigint)";

	private static final String BACKEND_QUERY = "SELECT pid, " + STARTED
			+ " FROM pg_stat_activity WHERE pid = pg_backend_pid()";

	private static final String ALIVE_QUERY = "SELECT " + STARTED + " FROM pg_stat_activity WHERE pid = ?";

	/** Aborts a connection on the calling thread: closing its socket does not block. */
	private static final Executor ON_CALLER = Runnable::run;

	private final Connection run;

	private final RunBackend backend;

	private final Supplier<Connection> connections;

	private final Runnable onLost;

	private final Duration timeout;

	private final AtomicReference<String> lost = new AtomicReference<>();

	private volatile long lastAnswer;

	/**
	 * Set by the first answer: the bound applies from then on only, so that a second connection slow to come
	 * (a busy pool) never ends a healthy run.
	 */
	private volatile boolean answered;

	private volatile @Nullable String lastProblem;

	private volatile boolean stopped;

	private volatile @Nullable Connection monitor;

	private final Thread checker;

	private final Thread timer;

	private RunWatchdog(Connection run, RunBackend backend, Supplier<Connection> connections, Runnable onLost,
			Duration timeout) {
		this.run = run;
		this.backend = backend;
		this.connections = connections;
		this.onLost = onLost;
		this.timeout = timeout;
		this.checker = (backend != null) ? daemon(this::checkUntilStopped, "lockstep-run-watchdog") : null;
		this.timer = (backend != null) ? daemon(this::enforceTimeout, "lockstep-run-watchdog-timer") : null;
	}

	/**
	 * Starts watching the given run connection with a {@link #DEFAULT_TIMEOUT}.
	 * @param run the connection the run works on
	 * @param connections opens a connection for the checks (not the run's)
	 * @param onLost what else to give up when the connection is lost (e.g. the lock's own session)
	 */
	public static RunWatchdog start(Connection run, Supplier<Connection> connections, Runnable onLost) {
		return start(run, connections, onLost, DEFAULT_TIMEOUT);
	}

	static RunWatchdog start(Connection run, Supplier<Connection> connections, Runnable onLost, Duration timeout) {
		RunBackend backend = RunBackend.of(run);
		RunWatchdog watchdog = new RunWatchdog(run, backend, connections, onLost, timeout);
		if (backend != null) {
			watchdog.checker.start();
			watchdog.timer.start();
		}
		return watchdog;
	}

	/** Why the run's connection was given up, or {@code null} while it is fine. */
	public String lostReason() {
		return this.lost.get();
	}

	/**
	 * The run's failure as the user should see it: when this watchdog gave the connection up, the lock-lost error
	 * says why (the database stopped answering, the session ended); otherwise the failure itself.
	 */
	public MigrationException explain(MigrationException failure) {
		String reason = this.lost.get();
		if (reason == null) {
			return failure;
		}
		String lostBecause = "the run's connection to the database was given up (" + reason + ")";
		if (failure instanceof MigrationLockLostException lockLost) {
			// What the driver said, and what the watchdog saw before it.
			return lockLost.because(lockLost.reason() + "; " + lostBecause);
		}
		if (failure instanceof ChangeSetFailedException changeSetFailed) {
			return new MigrationLockLostException(changeSetFailed.changeSet(), changeSetFailed.rolledBack(),
					changeSetFailed.appliedBefore(), lostBecause, failure);
		}
		return new MigrationLockLostException(null, true, 0, lostBecause, failure);
	}

	@Override
	public void close() {
		this.stopped = true;
		if (this.checker != null) {
			this.checker.interrupt();
			this.timer.interrupt();
		}
	}

	private void checkUntilStopped() {
		try {
			while (!this.stopped && this.lost.get() == null) {
				check();
				sleep(CHECK_INTERVAL);
			}
		}
		catch (InterruptedException ex) {
			// Stopped.
		}
		finally {
			DatabaseSessions.closeQuietly(this.monitor);
		}
	}

	private void check() {
		try {
			Connection connection = this.monitor;
			if (connection == null) {
				connection = openMonitor(this.connections);
				this.monitor = connection;
				if (this.stopped) {
					return;
				}
			}
			boolean alive = this.backend.isAlive(connection);
			this.lastAnswer = System.nanoTime();
			this.answered = true;
			if (!alive) {
				giveUp("its database session (backend pid " + this.backend.pid()
						+ ") has ended: the database was restarted or the session was terminated");
			}
		}
		catch (SQLException | RuntimeException ex) {
			this.lastProblem = DatabaseErrors.message(ex);
			abortQuietly(this.monitor);
			this.monitor = null;
		}
	}

	private void enforceTimeout() {
		try {
			while (!this.stopped && this.lost.get() == null) {
				long silent = System.nanoTime() - this.lastAnswer;
				if (this.answered && silent > this.timeout.toNanos()) {
					String problem = this.lastProblem;
					giveUp("no answer from the database for " + this.timeout.toSeconds() + " s"
							+ ((problem != null) ? "; last error: " + problem : ""));
				}
				sleep(CHECK_INTERVAL);
			}
		}
		catch (InterruptedException ex) {
			// Stopped.
		}
	}

	private void giveUp(String reason) {
		if (this.stopped || !this.lost.compareAndSet(null, reason)) {
			return;
		}
		logger.warn("Giving up the run's database connection: {}", reason);
		abortQuietly(this.run);
		try {
			this.onLost.run();
		}
		catch (RuntimeException ex) {
			// Best effort: the lock's session ends with the connection anyway.
		}
	}

	private static Connection openMonitor(Supplier<Connection> connections) throws SQLException {
		Connection connection = connections.get();
		try {
			connection.setAutoCommit(true);
			connection.setNetworkTimeout(ON_CALLER, (int) CHECK_TIMEOUT.toMillis());
			return connection;
		}
		catch (SQLException | RuntimeException ex) {
			abortQuietly(connection);
			throw ex;
		}
	}

	static void abortQuietly(Connection connection) {
		if (connection != null) {
			try {
				connection.abort(ON_CALLER);
			}
			catch (SQLException | RuntimeException ex) {
				// Already closed.
			}
		}
	}

	private static Thread daemon(Runnable task, String name) {
		Thread thread = new Thread(task, name);
		thread.setDaemon(true);
		return thread;
	}

	private static void sleep(Duration duration) throws InterruptedException {
		Thread.sleep(duration.toMillis());
	}

	/**
	 * The database session a run works on: its pid and start time (pids are reused after a restart). The start time
	 * is {@code null} where pg_stat_activity hides it: a role that may not see the session's details (a run whose
	 * connection init SQL switches to another role, a watchdog logged in as another user) still sees its pid.
	 */
	record RunBackend(int pid, Long started) {

		/** The session of the given connection, or {@code null} when it is not PostgreSQL. */
		static @Nullable RunBackend of(Connection connection) {
			try (PreparedStatement statement = connection.prepareStatement(BACKEND_QUERY);
					ResultSet rows = statement.executeQuery()) {
				if (!rows.next()) {
					return null;
				}
				int pid = rows.getInt(1);
				long started = rows.getLong(2);
				return new RunBackend(pid, rows.wasNull() ? null : started);
			}
			catch (SQLException ex) {
				return null;
			}
		}

		boolean isAlive(Connection connection) throws SQLException {
			try (PreparedStatement statement = connection.prepareStatement(ALIVE_QUERY)) {
				statement.setInt(1, this.pid);
				try (ResultSet rows = statement.executeQuery()) {
					if (!rows.next()) {
						return false;
					}
					long started = rows.getLong(1);
					// Hidden on either side: the pid alone must do.
					return rows.wasNull() || this.started == null || this.started == started;
				}
			}
		}

	}

}
