package dev.lockstep.test;

/**
 * One real PostgreSQL server per test JVM, a fresh database per test: the Spring tests' door to the core's
 * {@link dev.lockstep.core.test.TestDatabases} (embedded PostgreSQL, or Testcontainers with
 * {@code -Dlockstep.test.database=testcontainers}), giving databases that also know their Spring Boot arguments.
 */
public final class TestDatabases {

	private TestDatabases() {
	}

	/** Creates a new, empty database on the shared server. */
	public static TestDatabase create() {
		dev.lockstep.core.test.TestDatabase created = dev.lockstep.core.test.TestDatabases.create();
		return new TestDatabase(created.url(), created.user(), created.password(), created.name());
	}

	/** The shared server's superuser connection URL (database {@code postgres}). */
	public static String adminUrl() {
		return dev.lockstep.core.test.TestDatabases.adminUrl();
	}

}
