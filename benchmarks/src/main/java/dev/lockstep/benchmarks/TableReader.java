package dev.lockstep.benchmarks;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;

/**
 * Reads one table at a constant rate over JDBC connections of its own, as an application's traffic would, and
 * times each read from the moment it was due (a read stuck behind a lock holds up the ones after it, and that wait
 * is counted: no coordinated omission).
 */
final class TableReader {

	private final String url;

	private final String query;

	private final int connections;

	private final long intervalNanos;

	private final LinkedBlockingQueue<Integer> due = new LinkedBlockingQueue<>();

	private final List<Read> reads = new ArrayList<>();

	private final List<Thread> threads = new ArrayList<>();

	private volatile boolean stopping;

	private long startNanos;

	private long startEpochMillis;

	/**
	 * @param url JDBC URL (user and password {@code postgres})
	 * @param query a query with one {@code bigint} parameter, the row read
	 * @param connections how many connections read in parallel (the application's pool)
	 * @param perSecond reads per second
	 */
	TableReader(String url, String query, int connections, int perSecond) {
		this.url = url;
		this.query = query;
		this.connections = connections;
		this.intervalNanos = 1_000_000_000L / perSecond;
	}

	/**
	 * One read.
	 *
	 * @param dueEpochMillis when it was due
	 * @param nanos from its due time to its answer (or failure)
	 * @param ok whether it got its row
	 */
	record Read(long dueEpochMillis, long nanos, boolean ok) {
	}

	void start() throws SQLException {
		List<Connection> opened = new ArrayList<>();
		for (int c = 0; c < this.connections; c++) {
			Connection connection = DriverManager.getConnection(this.url, "postgres", "postgres");
			connection.setClientInfo("ApplicationName", "bench-reader");
			opened.add(connection);
		}
		this.startNanos = System.nanoTime() + 20_000_000L;
		this.startEpochMillis = System.currentTimeMillis() + 20;
		for (Connection connection : opened) {
			Thread worker = new Thread(() -> work(connection), "reader");
			worker.setDaemon(true);
			worker.start();
			this.threads.add(worker);
		}
		Thread scheduler = new Thread(this::schedule, "reader-schedule");
		scheduler.setDaemon(true);
		scheduler.start();
		this.threads.add(scheduler);
	}

	private void schedule() {
		for (int i = 0; !this.stopping; i++) {
			long at = this.startNanos + i * this.intervalNanos;
			for (long wait = at - System.nanoTime(); wait > 0; wait = at - System.nanoTime()) {
				LockSupport.parkNanos(wait);
			}
			this.due.add(i);
		}
	}

	private void work(Connection connection) {
		try (connection; PreparedStatement statement = connection.prepareStatement(this.query)) {
			while (true) {
				Integer index = this.due.poll(100, TimeUnit.MILLISECONDS);
				if (index == null) {
					if (this.stopping) {
						return;
					}
					continue;
				}
				long dueNanos = this.startNanos + index * this.intervalNanos;
				boolean ok;
				try {
					statement.setLong(1, ThreadLocalRandom.current().nextLong(1, 10_001));
					try (ResultSet rows = statement.executeQuery()) {
						ok = rows.next();
					}
				}
				catch (SQLException ex) {
					ok = false;
				}
				Read read = new Read(this.startEpochMillis + index * this.intervalNanos / 1_000_000,
						System.nanoTime() - dueNanos, ok);
				synchronized (this.reads) {
					this.reads.add(read);
				}
			}
		}
		catch (SQLException | InterruptedException ex) {
			// Stopped.
		}
	}

	/** Stops scheduling, lets the reads already due finish (up to a minute) and returns every read. */
	List<Read> stop() throws InterruptedException {
		this.stopping = true;
		for (Thread thread : this.threads) {
			thread.join(60_000);
		}
		synchronized (this.reads) {
			return List.copyOf(this.reads);
		}
	}

}
