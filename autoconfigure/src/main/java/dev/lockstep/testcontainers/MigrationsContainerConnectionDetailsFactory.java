package dev.lockstep.testcontainers;

import org.testcontainers.containers.JdbcDatabaseContainer;

import org.springframework.boot.testcontainers.service.connection.ContainerConnectionDetailsFactory;
import org.springframework.boot.testcontainers.service.connection.ContainerConnectionSource;

import dev.lockstep.autoconfigure.MigrationsConnectionDetails;

/**
 * {@link MigrationsConnectionDetails} from a {@code @ServiceConnection} JDBC container (for example
 * {@code PostgreSQLContainer}): Lockstep migrates the container's database, as the application's DataSource uses
 * it.
 */
class MigrationsContainerConnectionDetailsFactory
		extends ContainerConnectionDetailsFactory<JdbcDatabaseContainer<?>, MigrationsConnectionDetails> {

	@Override
	protected MigrationsConnectionDetails getContainerConnectionDetails(
			ContainerConnectionSource<JdbcDatabaseContainer<?>> source) {
		return new MigrationsContainerConnectionDetails(source);
	}

	/**
	 * {@link MigrationsConnectionDetails} of a running {@link JdbcDatabaseContainer}.
	 */
	private static final class MigrationsContainerConnectionDetails
			extends ContainerConnectionDetails<JdbcDatabaseContainer<?>> implements MigrationsConnectionDetails {

		private MigrationsContainerConnectionDetails(ContainerConnectionSource<JdbcDatabaseContainer<?>> source) {
			super(source);
		}

		@Override
		public String getJdbcUrl() {
			return getContainer().getJdbcUrl();
		}

		@Override
		public String getUsername() {
			return getContainer().getUsername();
		}

		@Override
		public String getPassword() {
			return getContainer().getPassword();
		}

		@Override
		public String getDriverClassName() {
			return getContainer().getDriverClassName();
		}

	}

}
