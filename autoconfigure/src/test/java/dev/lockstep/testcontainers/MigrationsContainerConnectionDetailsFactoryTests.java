package dev.lockstep.testcontainers;

import org.junit.jupiter.api.Test;
import org.testcontainers.postgresql.PostgreSQLContainer;

import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.boot.testcontainers.service.connection.ServiceConnection;
import org.springframework.boot.testcontainers.service.connection.ServiceConnectionAutoConfiguration;
import org.springframework.context.annotation.Bean;

import dev.lockstep.autoconfigure.MigrationsConnectionDetails;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Tests for {@link MigrationsContainerConnectionDetailsFactory}: a {@code @ServiceConnection} PostgreSQL container
 * supplies {@link MigrationsConnectionDetails}. No Docker runs here, so the container is declared but never
 * started: the test checks the registration, not a connection.
 */
class MigrationsContainerConnectionDetailsFactoryTests {

	private final ApplicationContextRunner contextRunner = new ApplicationContextRunner()
		.withConfiguration(AutoConfigurations.of(ServiceConnectionAutoConfiguration.class));

	@Test
	void serviceConnectionContainerSuppliesMigrationsConnectionDetails() {
		this.contextRunner.withUserConfiguration(PostgresContainerConfiguration.class).run((context) -> {
			assertThat(context).hasSingleBean(MigrationsConnectionDetails.class);
			assertThat(context.getBean(MigrationsConnectionDetails.class).getClass().getName())
				.startsWith(MigrationsContainerConnectionDetailsFactory.class.getName());
		});
	}

	@Test
	void noConnectionDetailsWithoutServiceConnection() {
		this.contextRunner.withUserConfiguration(PlainContainerConfiguration.class)
			.run((context) -> assertThat(context).doesNotHaveBean(MigrationsConnectionDetails.class));
	}

	static class PostgresContainerConfiguration {

		@Bean
		@ServiceConnection
		PostgreSQLContainer postgres() {
			return new PostgreSQLContainer("postgres:17");
		}

	}

	static class PlainContainerConfiguration {

		@Bean
		PostgreSQLContainer postgres() {
			return new PostgreSQLContainer("postgres:17");
		}

	}

}
