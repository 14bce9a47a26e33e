package dev.lockstep.core.ddl;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.util.function.Supplier;

import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Watches, from a connection of its own, whether a statement of the run waits for a lock, and remembers who held
 * it ({@code pg_blocking_pids}): once the lock timeout ended the wait, the run's own session can no longer tell.
 * <p>
 * Each sample is one query, and {@code pg_blocking_pids} (which briefly locks the lock manager) is called only while
 * the run's backend actually waits for a lock.
 */
public final class BlockerSampler implements AutoCloseable {

	private static final Logger logger = LoggerFactory.getLogger("dev.lockstep.Migrations");

	static final Duration SHORTEST_INTERVAL = Duration.ofMillis(50);

	static final Duration LONGEST_INTERVAL = Duration.ofMillis(500);

	/** The blocker with the oldest transaction: the one to end (the others usually queue behind it). */
	private static final String BLOCKER_QUERY = """
			SELECT a.pid, a.application_name, a.usename, a.state, a.query,
			CAST(extract(epoch FROM now() - a.xact_start) * 1000 AS bigint)
			FROM pg_stat_activity a
			WHERE a.pid IN (SELECT unnest(pg_blocking_pids(w.pid)) FROM pg_stat_activity w
			WHERE w.pid = ? AND w.wait_event_type = 'Lock')
			ORDER BY a.xact_start NULLS LAST LIMIT 1""";

	private final int runPid;

	private final Supplier<Connection> connections;

	private final Duration interval;

	private final Thread sampler;

	private volatile @Nullable Blocker lastBlocker;

	private volatile boolean stopped;

	private @Nullable Connection connection;

	private BlockerSampler(int runPid, Supplier<Connection> connections, Duration interval) {
		this.runPid = runPid;
		this.connections = connections;
		this.interval = interval;
		this.sampler = new Thread(this::sampleUntilStopped, "lockstep-blocker-sampler");
		this.sampler.setDaemon(true);
	}

	/**
	 * Starts sampling the run's session often enough to see each lock wait a few times.
	 * @param run the run's session
	 * @param connections opens a connection for the samples (not the run's)
	 * @param lockTimeout the lock timeout the run's statements wait under
	 * @return the sampler, to be closed when the run's statements are done
	 * @throws SQLException when the run's session cannot tell its pid
	 */
	public static BlockerSampler start(Connection run, Supplier<Connection> connections, Duration lockTimeout)
			throws SQLException {
		int pid;
		try (PreparedStatement statement = run.prepareStatement("SELECT pg_backend_pid()");
				ResultSet rows = statement.executeQuery()) {
			rows.next();
			pid = rows.getInt(1);
		}
		if (!run.getAutoCommit()) {
			run.commit();
		}
		Duration interval = lockTimeout.dividedBy(5);
		interval = (interval.compareTo(SHORTEST_INTERVAL) < 0) ? SHORTEST_INTERVAL
				: (interval.compareTo(LONGEST_INTERVAL) > 0) ? LONGEST_INTERVAL : interval;
		BlockerSampler sampler = new BlockerSampler(pid, connections, interval);
		// Connected before the first statement runs, so that even the first short wait is seen.
		sampler.connect();
		sampler.sampler.start();
		return sampler;
	}

	/** The last session seen holding a lock the run waited for, or {@code null} when none was seen. */
	public @Nullable Blocker lastBlocker() {
		return this.lastBlocker;
	}

	@Override
	public void close() {
		this.stopped = true;
		this.sampler.interrupt();
	}

	private void sampleUntilStopped() {
		try {
			while (!this.stopped) {
				sample();
				Thread.sleep(this.interval.toMillis());
			}
		}
		catch (InterruptedException ex) {
			// Stopped.
		}
		finally {
			closeQuietly(this.connection);
		}
	}

	private void connect() {
		try {
			Connection opened = this.connections.get();
			opened.setAutoCommit(true);
			this.connection = opened;
		}
		catch (SQLException | RuntimeException ex) {
			// The sampler thread tries again.
			logger.debug("Could not open a connection to sample the run's lock waits: {}", ex.getMessage());
		}
	}

	private void sample() {
		try {
			if (this.connection == null) {
				Connection opened = this.connections.get();
				opened.setAutoCommit(true);
				this.connection = opened;
			}
			try (PreparedStatement statement = this.connection.prepareStatement(BLOCKER_QUERY)) {
				statement.setInt(1, this.runPid);
				try (ResultSet rows = statement.executeQuery()) {
					if (rows.next()) {
						long age = rows.getLong(6);
						Duration transactionAge = rows.wasNull() ? null : Duration.ofMillis(age);
						this.lastBlocker = new Blocker(rows.getInt(1), rows.getString(2), rows.getString(3),
								rows.getString(4), rows.getString(5), transactionAge);
					}
				}
			}
		}
		catch (SQLException | RuntimeException ex) {
			// Best effort: the run goes on; its failure then names no blocker. Open a new connection next time.
			logger.debug("Could not sample the run's lock waits: {}", ex.getMessage());
			closeQuietly(this.connection);
			this.connection = null;
		}
	}

	private static void closeQuietly(@Nullable Connection connection) {
		if (connection != null) {
			try {
				connection.close();
			}
			catch (SQLException ex) {
				// Already gone.
			}
		}
	}

}
