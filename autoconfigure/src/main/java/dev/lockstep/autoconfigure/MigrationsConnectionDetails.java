package dev.lockstep.autoconfigure;

import org.jspecify.annotations.Nullable;

import org.springframework.boot.autoconfigure.service.connection.ConnectionDetails;
import org.springframework.boot.jdbc.DatabaseDriver;

/**
 * Where and as whom Lockstep connects to migrate, when that differs from the application's DataSource (for example
 * separate, DDL-privileged credentials). By default it comes from {@code migrations.url}, {@code migrations.user}
 * and {@code migrations.password}; a bean of this type replaces that default, and so do a Testcontainers
 * {@code @ServiceConnection} JDBC container and a Docker Compose database service. A
 * {@link MigrationsDataSource @MigrationsDataSource} bean still comes first.
 */
public interface MigrationsConnectionDetails extends ConnectionDetails {

	/**
	 * JDBC URL of the database to migrate.
	 * @return the URL, or {@code null} to migrate the application's DataSource
	 */
	@Nullable String getJdbcUrl();

	/**
	 * Login user of the database to migrate.
	 * @return the user, or {@code null} for the application DataSource's user
	 */
	@Nullable String getUsername();

	/**
	 * Login password of the database to migrate, used with {@link #getUsername()}.
	 * @return the password, or {@code null}
	 */
	@Nullable String getPassword();

	/**
	 * The JDBC driver's class name. Defaults to the driver the JDBC URL names.
	 * @return the driver class name, or {@code null} without a URL
	 */
	default @Nullable String getDriverClassName() {
		String url = getJdbcUrl();
		return (url != null) ? DatabaseDriver.fromJdbcUrl(url).getDriverClassName() : null;
	}

}
