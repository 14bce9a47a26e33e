package dev.lockstep.core.lock;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.concurrent.atomic.AtomicInteger;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;

/**
 * For the lock tests only, without Spring: one embedded PostgreSQL per test JVM, a fresh database per test (the
 * suite's own {@code TestDatabases} lives in autoconfigure's tests).
 */
final class LockTestPostgres {

	private static final AtomicInteger counter = new AtomicInteger();

	private static volatile EmbeddedPostgres server;

	private final String url;

	private LockTestPostgres(String url) {
		this.url = url;
	}

	/** A new, empty database on the shared server. */
	static LockTestPostgres createDatabase() {
		String name = "lock_" + ProcessHandle.current().pid() + "_" + counter.incrementAndGet();
		EmbeddedPostgres postgres = server();
		try (Connection connection = DriverManager.getConnection(postgres.getJdbcUrl("postgres", "postgres"));
				Statement statement = connection.createStatement()) {
			statement.execute("CREATE DATABASE " + name);
		}
		catch (SQLException ex) {
			throw new IllegalStateException("Could not create test database " + name, ex);
		}
		return new LockTestPostgres(postgres.getJdbcUrl("postgres", name));
	}

	/** Opens a connection labelled with the given application name, as the engine's run sessions are. */
	Connection connect(String applicationName) {
		try {
			Connection connection = DriverManager.getConnection(this.url);
			try (PreparedStatement statement = connection
				.prepareStatement("SELECT set_config('application_name', ?, false)")) {
				statement.setString(1, applicationName);
				statement.execute();
			}
			return connection;
		}
		catch (SQLException ex) {
			throw new IllegalStateException(ex);
		}
	}

	private static EmbeddedPostgres server() {
		EmbeddedPostgres current = server;
		if (current == null) {
			synchronized (LockTestPostgres.class) {
				current = server;
				if (current == null) {
					current = start();
					server = current;
				}
			}
		}
		return current;
	}

	private static EmbeddedPostgres start() {
		try {
			EmbeddedPostgres postgres = EmbeddedPostgres.builder()
				.setServerConfig("fsync", "off")
				.setServerConfig("synchronous_commit", "off")
				.start();
			Runtime.getRuntime().addShutdownHook(new Thread(() -> {
				try {
					postgres.close();
				}
				catch (Exception ex) {
					// The JVM is exiting.
				}
			}));
			return postgres;
		}
		catch (Exception ex) {
			throw new IllegalStateException("Could not start the embedded PostgreSQL", ex);
		}
	}

}
