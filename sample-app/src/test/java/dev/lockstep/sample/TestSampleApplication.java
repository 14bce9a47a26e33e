package dev.lockstep.sample;

import java.util.Arrays;

import org.testcontainers.postgresql.PostgreSQLContainer;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.test.context.TestConfiguration;
import org.springframework.boot.testcontainers.service.connection.ServiceConnection;
import org.springframework.context.annotation.Bean;

/**
 * The sample against a PostgreSQL that Testcontainers starts in Docker, instead of its embedded one:
 * {@code mvn -pl sample-app spring-boot:test-run} (after the build has installed the starter). The container's
 * connection details become the application's {@code DataSource} ({@link ServiceConnection}), so Lockstep
 * migrates that database at startup, as it would any other.
 */
@TestConfiguration(proxyBeanMethods = false)
public class TestSampleApplication {

	@Bean
	@ServiceConnection
	PostgreSQLContainer postgres() {
		return new PostgreSQLContainer("postgres:17");
	}

	public static void main(String[] args) {
		// The container provides the database: no embedded PostgreSQL (see EmbeddedPostgresEnvironmentPostProcessor).
		String[] arguments = Arrays.copyOf(args, args.length + 1);
		arguments[args.length] = "--sample.embedded-postgres.enabled=false";
		SpringApplication.from(SampleApplication::main).with(TestSampleApplication.class).run(arguments);
	}

}
