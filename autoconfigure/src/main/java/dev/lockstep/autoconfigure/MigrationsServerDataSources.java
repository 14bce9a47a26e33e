package dev.lockstep.autoconfigure;

import java.sql.Connection;
import java.sql.SQLException;

import javax.sql.DataSource;

import org.jspecify.annotations.Nullable;

import org.springframework.util.StringUtils;

import dev.lockstep.core.jdbc.JdbcUrls;
import dev.lockstep.core.jdbc.ServerDataSources;

/**
 * DataSources for other databases on the migration database's server ({@code migrations diff --against=changelog}
 * builds the expected schema in a scratch database): made the way the migration DataSource is made
 * ({@link MigrationDataSourceFactory}), with the same credentials and pool settings, only the URL naming the other
 * database. The URL is {@code migrations.url} (or the {@link MigrationsConnectionDetails}'), else the one the
 * migration DataSource's connections report.
 */
final class MigrationsServerDataSources implements ServerDataSources {

	private final @Nullable DataSource qualified;

	private final @Nullable DataSource application;

	private final MigrationsConnectionDetails connectionDetails;

	private final DataSource migrationDataSource;

	MigrationsServerDataSources(@Nullable DataSource qualified, @Nullable DataSource application,
			MigrationsConnectionDetails connectionDetails, DataSource migrationDataSource) {
		this.qualified = qualified;
		this.application = application;
		this.connectionDetails = connectionDetails;
		this.migrationDataSource = migrationDataSource;
	}

	@Override
	public @Nullable DataSource forDatabase(String database) {
		String url = JdbcUrls.withDatabase(baseUrl(), database);
		if (url == null) {
			return null;
		}
		MigrationsConnectionDetails details = this.connectionDetails;
		MigrationsConnectionDetails other = new MigrationsConnectionDetails() {

			@Override
			public String getJdbcUrl() {
				return url;
			}

			@Override
			public @Nullable String getUsername() {
				return details.getUsername();
			}

			@Override
			public @Nullable String getPassword() {
				return details.getPassword();
			}

		};
		return MigrationDataSourceFactory.create(null, (this.qualified != null) ? this.qualified : this.application,
				other);
	}

	private @Nullable String baseUrl() {
		String configured = this.connectionDetails.getJdbcUrl();
		if (StringUtils.hasText(configured)) {
			return configured;
		}
		try (Connection connection = this.migrationDataSource.getConnection()) {
			return connection.getMetaData().getURL();
		}
		catch (SQLException ex) {
			return null;
		}
	}

}
