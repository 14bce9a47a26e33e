package dev.lockstep.benchmarks;

import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.LockSupport;

/**
 * Sends GET requests at a constant rate over a few kept-alive HTTP/1.1 connections and records each one's latency
 * from the moment it was due, so that a slow server cannot hide its backlog (no coordinated omission). Plain
 * sockets and blocking reads: the JDK's HttpClient costs more CPU per request than the endpoints measured, and on
 * a 2-core machine that cost shows up in the latencies.
 */
final class LoadGenerator {

	private final String host;

	private final int port;

	private final int connections;

	private final Duration timeout;

	LoadGenerator(String host, int port, int connections, Duration timeout) {
		this.host = host;
		this.port = port;
		this.connections = connections;
		this.timeout = timeout;
	}

	/**
	 * Sends {@code total} requests, one every {@code interval}, cycling through {@code paths}.
	 * @return the latency of each request, by path index; a request that failed or timed out counts as an error
	 */
	Result run(List<String> paths, int total, Duration interval) throws InterruptedException {
		BlockingQueue<Long> due = new ArrayBlockingQueue<>(total);
		long[] latencies = new long[total];
		int[] pathOf = new int[total];
		AtomicInteger errors = new AtomicInteger();
		AtomicInteger done = new AtomicInteger();
		List<Thread> workers = new ArrayList<>();
		long start = System.nanoTime() + Duration.ofMillis(20).toNanos();
		for (int w = 0; w < this.connections; w++) {
			Thread worker = new Thread(() -> work(paths, due, start, interval, latencies, pathOf, errors, done),
					"load-" + w);
			worker.setDaemon(true);
			worker.start();
			workers.add(worker);
		}
		for (long i = 0; i < total; i++) {
			long at = start + i * interval.toNanos();
			for (long wait = at - System.nanoTime(); wait > 0; wait = at - System.nanoTime()) {
				LockSupport.parkNanos(wait);
			}
			due.add(i);
		}
		long deadline = System.nanoTime() + this.timeout.toNanos() * 2 + Duration.ofSeconds(30).toNanos();
		while (done.get() < total && System.nanoTime() - deadline < 0) {
			Thread.sleep(10);
		}
		workers.forEach(Thread::interrupt);
		int unanswered = total - done.get();
		return new Result(paths, latencies, pathOf, done.get(), errors.get() + unanswered,
				(System.nanoTime() - start) / 1e9);
	}

	private void work(List<String> paths, BlockingQueue<Long> due, long start, Duration interval, long[] latencies,
			int[] pathOf, AtomicInteger errors, AtomicInteger done) {
		Connection connection = null;
		while (!Thread.currentThread().isInterrupted()) {
			long index;
			try {
				index = due.take();
			}
			catch (InterruptedException ex) {
				break;
			}
			int path = (int) (index % paths.size());
			long dueAt = start + index * interval.toNanos();
			boolean ok;
			try {
				if (connection == null) {
					connection = new Connection(this.host, this.port, this.timeout);
				}
				ok = connection.get(paths.get(path)) < 500;
				if (connection.closed) {
					connection.close();
					connection = null;
				}
			}
			catch (IOException ex) {
				ok = false;
				if (connection != null) {
					connection.close();
				}
				connection = null;
			}
			latencies[(int) index] = System.nanoTime() - dueAt;
			pathOf[(int) index] = path;
			if (!ok) {
				errors.incrementAndGet();
			}
			done.incrementAndGet();
		}
		if (connection != null) {
			connection.close();
		}
	}

	/** One kept-alive HTTP/1.1 connection. */
	private static final class Connection {

		private final Socket socket;

		private final InputStream in;

		private final OutputStream out;

		private final String host;

		private boolean closed;

		Connection(String host, int port, Duration timeout) throws IOException {
			this.host = host + ":" + port;
			this.socket = new Socket();
			this.socket.setTcpNoDelay(true);
			this.socket.connect(new InetSocketAddress(host, port), (int) timeout.toMillis());
			this.socket.setSoTimeout((int) timeout.toMillis());
			this.in = new BufferedInputStream(this.socket.getInputStream(), 65536);
			this.out = this.socket.getOutputStream();
		}

		/** Sends a GET and reads the whole response; returns its status code. */
		int get(String path) throws IOException {
			this.out.write(("GET " + path + " HTTP/1.1\r\nHost: " + this.host + "\r\nAccept: application/json\r\n\r\n")
				.getBytes(StandardCharsets.US_ASCII));
			this.out.flush();
			String statusLine = line();
			int status = Integer.parseInt(statusLine.split(" ")[1]);
			long length = -1;
			boolean chunked = false;
			boolean close = false;
			for (String header = line(); !header.isEmpty(); header = line()) {
				String lower = header.toLowerCase(Locale.ROOT);
				if (lower.startsWith("content-length:")) {
					length = Long.parseLong(lower.substring("content-length:".length()).trim());
				}
				else if (lower.startsWith("transfer-encoding:") && lower.contains("chunked")) {
					chunked = true;
				}
				else if (lower.startsWith("connection:") && lower.contains("close")) {
					close = true;
				}
			}
			if (chunked) {
				for (long size = Long.parseLong(line().split(";")[0].trim(), 16); size > 0;
						size = Long.parseLong(line().split(";")[0].trim(), 16)) {
					skip(size);
					line();
				}
				while (!line().isEmpty()) {
					// Trailers.
				}
			}
			else if (length > 0) {
				skip(length);
			}
			// Tomcat closes a kept-alive connection after 100 requests: the answer is good, the next request
			// opens a new connection.
			this.closed = close;
			return status;
		}

		private String line() throws IOException {
			ByteArrayOutputStream line = new ByteArrayOutputStream(64);
			for (int b = this.in.read(); b != '\n'; b = this.in.read()) {
				if (b < 0) {
					throw new IOException("connection closed");
				}
				if (b != '\r') {
					line.write(b);
				}
			}
			return line.toString(StandardCharsets.US_ASCII);
		}

		private void skip(long bytes) throws IOException {
			for (long left = bytes; left > 0;) {
				long skipped = this.in.skip(left);
				if (skipped <= 0) {
					if (this.in.read() < 0) {
						throw new IOException("connection closed");
					}
					skipped = 1;
				}
				left -= skipped;
			}
		}

		void close() {
			try {
				this.socket.close();
			}
			catch (IOException ex) {
				// Closing anyway.
			}
		}

	}

	/**
	 * What a run measured.
	 *
	 * @param paths the paths requested
	 * @param latencies nanoseconds from each request's due time to its whole response
	 * @param pathOf the index in {@code paths} of each request
	 * @param answered requests that got an answer or failed before the end
	 * @param errors failed, 5xx or unanswered requests
	 * @param seconds how long the run took
	 */
	record Result(List<String> paths, long[] latencies, int[] pathOf, int answered, int errors, double seconds) {

		/** The latencies of one path's answered requests, or of all when {@code path} is negative. */
		List<Long> of(int path) {
			List<Long> values = new ArrayList<>();
			for (int i = 0; i < this.latencies.length; i++) {
				if (this.latencies[i] > 0 && (path < 0 || this.pathOf[i] == path)) {
					values.add(this.latencies[i]);
				}
			}
			return values;
		}

	}

}
