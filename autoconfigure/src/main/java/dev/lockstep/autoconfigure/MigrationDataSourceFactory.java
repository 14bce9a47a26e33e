package dev.lockstep.autoconfigure;

import javax.sql.DataSource;

import org.springframework.boot.jdbc.DataSourceBuilder;
import org.springframework.boot.jdbc.DatabaseDriver;
import org.springframework.jdbc.datasource.SimpleDriverDataSource;
import org.springframework.util.StringUtils;

/**
 * Chooses the DataSource migrations run on. Runs use connections of their own (never the application's pool):
 * a non-pooled DataSource with the application's settings, or with {@code migrations.url/user/password}.
 */
final class MigrationDataSourceFactory {

	private MigrationDataSourceFactory() {
	}

	static DataSource create(DataSource qualified, DataSource application, MigrationsProperties properties) {
		if (qualified != null) {
			return qualified;
		}
		boolean ownCredentials = StringUtils.hasText(properties.getUrl()) || StringUtils.hasText(properties.getUser());
		if (application == null && !StringUtils.hasText(properties.getUrl())) {
			throw new IllegalStateException("Lockstep needs a DataSource or migrations.url");
		}
		DataSourceBuilder<?> builder;
		try {
			builder = (application != null) ? DataSourceBuilder.derivedFrom(application) : DataSourceBuilder.create();
		}
		catch (RuntimeException ex) {
			if (ownCredentials) {
				builder = DataSourceBuilder.create();
			}
			else {
				// A DataSource type Spring Boot cannot copy: use it as it is.
				return application;
			}
		}
		builder.type(SimpleDriverDataSource.class);
		if (StringUtils.hasText(properties.getUrl())) {
			builder.url(properties.getUrl());
			// Not the driver derived from the application's DataSource: migrations.url may name another database.
			String driver = DatabaseDriver.fromJdbcUrl(properties.getUrl()).getDriverClassName();
			if (driver != null) {
				builder.driverClassName(driver);
			}
		}
		if (StringUtils.hasText(properties.getUser())) {
			builder.username(properties.getUser());
			builder.password(properties.getPassword());
		}
		try {
			return builder.build();
		}
		catch (RuntimeException ex) {
			if (ownCredentials) {
				throw ex;
			}
			return application;
		}
	}

}
