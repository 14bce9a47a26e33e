package dev.lockstep.docker.compose;

import org.jspecify.annotations.Nullable;

import org.springframework.boot.autoconfigure.service.connection.ConnectionDetailsFactory;
import org.springframework.boot.jdbc.autoconfigure.JdbcConnectionDetails;

import dev.lockstep.autoconfigure.MigrationsConnectionDetails;

/**
 * {@link MigrationsConnectionDetails} from the {@link JdbcConnectionDetails} that Spring Boot's Docker Compose
 * support derives from a database service (for example {@code postgres}): Lockstep migrates that service's
 * database.
 */
class JdbcAdaptingMigrationsConnectionDetailsFactory
		implements ConnectionDetailsFactory<JdbcConnectionDetails, MigrationsConnectionDetails> {

	@Override
	public MigrationsConnectionDetails getConnectionDetails(JdbcConnectionDetails input) {
		return new MigrationsConnectionDetails() {

			@Override
			public String getJdbcUrl() {
				return input.getJdbcUrl();
			}

			@Override
			public @Nullable String getUsername() {
				return input.getUsername();
			}

			@Override
			public @Nullable String getPassword() {
				return input.getPassword();
			}

			@Override
			public String getDriverClassName() {
				return input.getDriverClassName();
			}

		};
	}

}
