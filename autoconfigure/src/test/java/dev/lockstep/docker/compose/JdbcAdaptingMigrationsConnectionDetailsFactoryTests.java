package dev.lockstep.docker.compose;

import java.util.Map;

import org.junit.jupiter.api.Test;

import org.springframework.boot.autoconfigure.service.connection.ConnectionDetails;
import org.springframework.boot.autoconfigure.service.connection.ConnectionDetailsFactories;
import org.springframework.boot.jdbc.autoconfigure.JdbcConnectionDetails;

import dev.lockstep.autoconfigure.MigrationsConnectionDetails;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Tests for {@link JdbcAdaptingMigrationsConnectionDetailsFactory}: Docker Compose turns a database service into
 * {@link JdbcConnectionDetails}, then asks the registered factories to adapt those; Lockstep's must answer with
 * the same database. Asked the way Docker Compose asks (no Docker needed).
 */
class JdbcAdaptingMigrationsConnectionDetailsFactoryTests {

	private final JdbcConnectionDetails service = new JdbcConnectionDetails() {

		@Override
		public String getUsername() {
			return "app";
		}

		@Override
		public String getPassword() {
			return "secret";
		}

		@Override
		public String getJdbcUrl() {
			return "jdbc:postgresql://localhost:54321/app";
		}

	};

	@Test
	void adaptsTheServicesJdbcConnectionDetails() {
		MigrationsConnectionDetails details = new JdbcAdaptingMigrationsConnectionDetailsFactory()
			.getConnectionDetails(this.service);
		assertThat(details.getJdbcUrl()).isEqualTo("jdbc:postgresql://localhost:54321/app");
		assertThat(details.getUsername()).isEqualTo("app");
		assertThat(details.getPassword()).isEqualTo("secret");
		assertThat(details.getDriverClassName()).isEqualTo("org.postgresql.Driver");
	}

	@Test
	void isRegisteredSoThatDockerComposeFindsIt() {
		Map<Class<?>, ConnectionDetails> adapted = new ConnectionDetailsFactories(getClass().getClassLoader())
			.getConnectionDetails(this.service, false);
		assertThat(adapted).containsKey(MigrationsConnectionDetails.class);
		assertThat(((MigrationsConnectionDetails) adapted.get(MigrationsConnectionDetails.class)).getJdbcUrl())
			.isEqualTo(this.service.getJdbcUrl());
	}

}
