package dev.lockstep.test;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Path;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;

/**
 * An embedded PostgreSQL of one test's own, which that test may restart: the shared server of
 * {@link TestDatabases} serves every other test in the JVM. The data directory and the port survive a restart,
 * so the data and the URLs do too.
 */
public final class RestartablePostgres implements AutoCloseable {

	private final Path dataDirectory;

	private final int port;

	private EmbeddedPostgres postgres;

	private RestartablePostgres(Path dataDirectory, int port) {
		this.dataDirectory = dataDirectory;
		this.port = port;
		this.postgres = start(false);
	}

	/** Starts a server whose data lives in the given (empty or absent) directory. */
	public static RestartablePostgres start(Path dataDirectory) {
		return new RestartablePostgres(dataDirectory, freePort());
	}

	/** Creates a database and returns it (superuser {@code postgres}, no password). */
	public TestDatabase createDatabase(String name) {
		TestDatabase admin = database("postgres");
		admin.execute("CREATE DATABASE " + name);
		return database(name);
	}

	public TestDatabase database(String name) {
		return new TestDatabase("jdbc:postgresql://localhost:" + this.port + "/" + name, "postgres", "", name);
	}

	/**
	 * Stops the server the way a restart by an operator or a failover does ({@code pg_ctl stop -m fast}: every
	 * session is ended, open transactions roll back) and starts it again on the same data and port.
	 */
	public void restart() {
		stop();
		this.postgres = start(false);
	}

	@Override
	public void close() {
		stop();
	}

	private void stop() {
		try {
			this.postgres.close();
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
	}

	private EmbeddedPostgres start(boolean clean) {
		try {
			return EmbeddedPostgres.builder()
				.setDataDirectory(this.dataDirectory)
				.setCleanDataDirectory(clean)
				.setPort(this.port)
				.setServerConfig("fsync", "off")
				.start();
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
	}

	private static int freePort() {
		try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
			return socket.getLocalPort();
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
	}

}
