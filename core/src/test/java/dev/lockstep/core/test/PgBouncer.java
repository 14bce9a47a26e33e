package dev.lockstep.core.test;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import org.junit.jupiter.api.Assumptions;

/**
 * A real PgBouncer in front of a test database, on a free loopback port, started from the {@code pgbouncer} binary
 * of the machine ({@code apt-get install pgbouncer} on Debian and Ubuntu). Tests that need it are skipped, saying
 * so, where the binary is absent; {@code -Dlockstep.test.pgbouncer=/path/to/pgbouncer} names another one.
 * <p>
 * PgBouncer refuses to run as root; as root it is started with {@code -u nobody}, and its files are made readable
 * for that user.
 */
public final class PgBouncer implements AutoCloseable {

	private static final List<String> LOCATIONS = List.of("/usr/sbin/pgbouncer", "/usr/bin/pgbouncer",
			"/usr/local/bin/pgbouncer", "/usr/local/sbin/pgbouncer", "/opt/homebrew/bin/pgbouncer");

	private final Process process;

	private final Path directory;

	private final int port;

	private final TestDatabase database;

	private PgBouncer(Process process, Path directory, int port, TestDatabase database) {
		this.process = process;
		this.directory = directory;
		this.port = port;
		this.database = database;
	}

	/**
	 * Starts PgBouncer in front of the given database, or skips the calling test when the binary is absent.
	 * @param database the database clients reach through it (same name, user and password)
	 * @param poolMode {@code session}, {@code transaction} or {@code statement}
	 */
	public static PgBouncer start(TestDatabase database, String poolMode) {
		return start(database, poolMode, 20);
	}

	/**
	 * Starts PgBouncer in front of the given database, or skips the calling test when the binary is absent.
	 * @param database the database clients reach through it (same name, user and password)
	 * @param poolMode {@code session}, {@code transaction} or {@code statement}
	 * @param poolSize server connections per database and user ({@code default_pool_size})
	 */
	public static PgBouncer start(TestDatabase database, String poolMode, int poolSize) {
		Path binary = binary();
		Assumptions.assumeTrue(binary != null, "PgBouncer tests skipped: the pgbouncer binary is absent (looked at "
				+ "-Dlockstep.test.pgbouncer, on PATH and in " + LOCATIONS + "). Install it with 'apt-get install pgbouncer' (Debian/Ubuntu) or "
				+ "'brew install pgbouncer' (macOS).");
		URI server = URI.create(database.url().substring("jdbc:".length()));
		try {
			Path directory = Files.createTempDirectory("pgbouncer");
			int port = freePort();
			Path users = directory.resolve("userlist.txt");
			Files.writeString(users, quoted(database.user()) + " " + quoted(database.password()) + "\n");
			Path config = directory.resolve("pgbouncer.ini");
			Files.writeString(config, """
					[databases]
					%s = host=%s port=%d dbname=%s
					[pgbouncer]
					listen_addr = 127.0.0.1
					listen_port = %d
					unix_socket_dir =
					auth_type = md5
					auth_file = %s
					pool_mode = %s
					default_pool_size = %d
					max_client_conn = 100
					ignore_startup_parameters = extra_float_digits,options
					""".formatted(database.name(), server.getHost(), server.getPort(), database.name(), port, users,
					poolMode, poolSize));
			Path log = directory.resolve("pgbouncer.log");
			readableByAll(directory, users, config);
			List<String> command = new ArrayList<>(List.of(binary.toString()));
			if ("root".equals(System.getProperty("user.name"))) {
				command.addAll(List.of("-u", "nobody"));
			}
			command.add(config.toString());
			Process process = new ProcessBuilder(command).redirectErrorStream(true)
				.redirectOutput(log.toFile())
				.start();
			PgBouncer pgBouncer = new PgBouncer(process, directory, port, database);
			pgBouncer.awaitListening();
			return pgBouncer;
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
	}

	/** The JDBC URL of the database through PgBouncer. */
	public String url() {
		return "jdbc:postgresql://127.0.0.1:" + this.port + "/" + this.database.name();
	}

	/** The PgBouncer's log so far (for failure messages). */
	public String log() {
		try {
			return Files.readString(this.directory.resolve("pgbouncer.log"));
		}
		catch (IOException ex) {
			return "(no log: " + ex.getMessage() + ")";
		}
	}

	@Override
	public void close() {
		this.process.destroy();
		try {
			if (!this.process.waitFor(10, TimeUnit.SECONDS)) {
				this.process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
			}
		}
		catch (InterruptedException ex) {
			this.process.destroyForcibly();
			Thread.currentThread().interrupt();
		}
		try (Stream<Path> files = Files.walk(this.directory)) {
			files.sorted(Comparator.reverseOrder()).forEach((file) -> file.toFile().delete());
		}
		catch (IOException ex) {
			// A temporary directory; the OS cleans it eventually.
		}
	}

	private void awaitListening() {
		long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
		while (System.nanoTime() - deadline < 0) {
			if (!this.process.isAlive()) {
				throw new IllegalStateException("PgBouncer exited with " + this.process.exitValue() + ": " + log());
			}
			try (Socket socket = new Socket()) {
				socket.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), this.port), 200);
				return;
			}
			catch (IOException ex) {
				// Not listening yet.
			}
			try {
				Thread.sleep(50);
			}
			catch (InterruptedException ex) {
				Thread.currentThread().interrupt();
				break;
			}
		}
		String log = log();
		close();
		throw new IllegalStateException("PgBouncer did not listen on port " + this.port + ": " + log);
	}

	private static Path binary() {
		String configured = System.getProperty("lockstep.test.pgbouncer");
		if (configured != null) {
			// An explicit binary (or a path that does not exist, to try the skip).
			return Files.isExecutable(Path.of(configured)) ? Path.of(configured) : null;
		}
		String path = System.getenv("PATH");
		List<Path> candidates = new ArrayList<>();
		if (path != null) {
			for (String entry : path.split(java.io.File.pathSeparator)) {
				if (!entry.isEmpty()) {
					candidates.add(Path.of(entry, "pgbouncer"));
				}
			}
		}
		LOCATIONS.forEach((location) -> candidates.add(Path.of(location)));
		return candidates.stream().filter(Files::isExecutable).findFirst().orElse(null);
	}

	private static int freePort() throws IOException {
		try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
			return socket.getLocalPort();
		}
	}

	private static String quoted(String value) {
		return "\"" + value.replace("\"", "\"\"") + "\"";
	}

	private static void readableByAll(Path directory, Path... files) throws IOException {
		Files.setPosixFilePermissions(directory, PosixFilePermissions.fromString("rwxr-xr-x"));
		for (Path file : files) {
			Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-r--r--"));
		}
	}

}
