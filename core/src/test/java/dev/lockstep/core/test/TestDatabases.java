package dev.lockstep.core.test;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.concurrent.atomic.AtomicInteger;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;

/**
 * One real PostgreSQL server per test JVM, a fresh database per test.
 * <p>
 * By default the server is an embedded PostgreSQL (binaries from Maven Central, no Docker). With
 * {@code -Dlockstep.test.database=testcontainers} it is a Testcontainers PostgreSQL instead, for machines with
 * Docker.
 * <p>
 * No Spring: the core's tests use it directly, the Spring tests through {@code dev.lockstep.test.TestDatabases}.
 */
public final class TestDatabases {

	private static final AtomicInteger counter = new AtomicInteger();

	private static volatile Server server;

	private TestDatabases() {
	}

	/** Creates a new, empty database on the shared server. */
	public static TestDatabase create() {
		Server shared = server();
		String name = "lockstep_" + ProcessHandle.current().pid() + "_" + counter.incrementAndGet();
		try (Connection connection = DriverManager.getConnection(shared.adminUrl(), shared.user(), shared.password());
				Statement statement = connection.createStatement()) {
			statement.execute("CREATE DATABASE " + name);
		}
		catch (SQLException ex) {
			throw new IllegalStateException("Could not create test database " + name, ex);
		}
		return TestDatabase.of(shared.urlFor(name), shared.user(), shared.password(), name);
	}

	/** The shared server's superuser connection URL (database {@code postgres}). */
	public static String adminUrl() {
		return server().adminUrl();
	}

	private static Server server() {
		Server current = server;
		if (current == null) {
			synchronized (TestDatabases.class) {
				current = server;
				if (current == null) {
					current = "testcontainers".equalsIgnoreCase(System.getProperty("lockstep.test.database"))
							? ContainerServer.start() : EmbeddedServer.start();
					server = current;
				}
			}
		}
		return current;
	}

	interface Server {

		String host();

		int port();

		String user();

		String password();

		default String urlFor(String database) {
			return "jdbc:postgresql://" + host() + ":" + port() + "/" + database;
		}

		default String adminUrl() {
			return urlFor("postgres");
		}

	}

	record EmbeddedServer(EmbeddedPostgres postgres) implements Server {

		static Server start() {
			try {
				Path data = Files.createTempDirectory("lockstep-test-postgres-");
				EmbeddedPostgres postgres = EmbeddedPostgres.builder()
					.setDataDirectory(data)
					.setCleanDataDirectory(false)
					.setServerConfig("max_connections", "300")
					.setServerConfig("fsync", "off")
					.setServerConfig("synchronous_commit", "off")
					.setServerConfig("full_page_writes", "off")
					.setServerConfig("shared_preload_libraries", "pg_stat_statements")
					.start();
				Runtime.getRuntime().addShutdownHook(new Thread(() -> {
					try {
						postgres.close();
						// A thousand files per test database: deleting them here outlasted Surefire's 30 s exit
						// timeout on a loaded machine (the fork was killed, the directory left behind). rm carries on
						// after the JVM has exited.
						new ProcessBuilder("rm", "-rf", data.toString()).start();
					}
					catch (Exception ex) {
						// The JVM is exiting.
					}
				}));
				return new EmbeddedServer(postgres);
			}
			catch (Exception ex) {
				throw new IllegalStateException("Could not start the embedded PostgreSQL", ex);
			}
		}

		@Override
		public String host() {
			return "localhost";
		}

		@Override
		public int port() {
			return this.postgres.getPort();
		}

		@Override
		public String user() {
			return "postgres";
		}

		@Override
		public String password() {
			return "postgres";
		}

	}

	/** Started reflectively so that the embedded default never touches Docker classes. */
	static final class ContainerServer implements Server {

		private final org.testcontainers.postgresql.PostgreSQLContainer container;

		private ContainerServer(org.testcontainers.postgresql.PostgreSQLContainer container) {
			this.container = container;
		}

		static Server start() {
			var container = new org.testcontainers.postgresql.PostgreSQLContainer(
					"postgres:" + System.getProperty("lockstep.test.postgres.major", "17"))
				.withCommand("postgres", "-c", "max_connections=300", "-c", "fsync=off", "-c",
						"shared_preload_libraries=pg_stat_statements");
			container.start();
			return new ContainerServer(container);
		}

		@Override
		public String host() {
			return this.container.getHost();
		}

		@Override
		public int port() {
			return this.container.getMappedPort(5432);
		}

		@Override
		public String user() {
			return this.container.getUsername();
		}

		@Override
		public String password() {
			return this.container.getPassword();
		}

	}

}
