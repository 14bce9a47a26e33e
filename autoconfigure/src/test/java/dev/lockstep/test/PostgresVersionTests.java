package dev.lockstep.test;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The test server is the PostgreSQL major the build asked for ({@code -Ppostgres-14}, {@code -Ppostgres-18}; 17 by
 * default), so that a compatibility cell cannot pass on the wrong server.
 */
class PostgresVersionTests {

	@Test
	void theTestServerIsThePostgresMajorTheBuildAsksFor() {
		String expected = System.getProperty("lockstep.test.postgres.major", "17");
		TestDatabase db = TestDatabases.create();
		try {
			long major = db.count("SELECT current_setting('server_version_num')::int / 10000");
			assertThat(major).as("server_version_num / 10000").isEqualTo(Long.parseLong(expected));
		}
		finally {
			db.dropDatabase();
		}
	}

}
