package dev.lockstep.autoconfigure;

import javax.sql.DataSource;

import org.jspecify.annotations.Nullable;

import org.springframework.boot.jdbc.DataSourceBuilder;
import org.springframework.jdbc.datasource.SimpleDriverDataSource;
import org.springframework.util.ClassUtils;
import org.springframework.util.StringUtils;

/**
 * Chooses the DataSource migrations run on. Runs use connections of their own (never the application's pool):
 * a non-pooled DataSource with the application's settings, or with the URL and credentials of the
 * {@link MigrationsConnectionDetails} ({@code migrations.url/user/password} by default). With a
 * Hikari pool, that is every connection setting of the pool ({@link HikariMigrationDataSource}); with other pools,
 * the driver, URL and credentials. A {@link MigrationsDataSource @MigrationsDataSource} bean is used as it is.
 */
final class MigrationDataSourceFactory {

	private static final boolean HIKARI_PRESENT = ClassUtils.isPresent("com.zaxxer.hikari.HikariDataSource",
			MigrationDataSourceFactory.class.getClassLoader());

	private MigrationDataSourceFactory() {
	}

	static DataSource create(@Nullable DataSource qualified, @Nullable DataSource application,
			MigrationsConnectionDetails connectionDetails) {
		if (qualified != null) {
			return qualified;
		}
		String url = connectionDetails.getJdbcUrl();
		String user = connectionDetails.getUsername();
		boolean ownCredentials = StringUtils.hasText(url) || StringUtils.hasText(user);
		if (application == null && !StringUtils.hasText(url)) {
			throw new IllegalStateException("Lockstep needs a DataSource or migrations.url");
		}
		if (application != null && HIKARI_PRESENT) {
			DataSource hikariSettings = hikariSettings(application, connectionDetails);
			if (hikariSettings != null) {
				return hikariSettings;
			}
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
		if (StringUtils.hasText(url)) {
			builder.url(url);
			// Not the driver derived from the application's DataSource: the URL may name another database.
			String driver = connectionDetails.getDriverClassName();
			if (StringUtils.hasText(driver)) {
				builder.driverClassName(driver);
			}
		}
		if (StringUtils.hasText(user)) {
			builder.username(user);
			builder.password(connectionDetails.getPassword());
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

	/**
	 * Connections with all of the application pool's connection settings (schema, init SQL, data source
	 * properties), which a DataSource derived from url/user/password alone would lose; {@code null} when the
	 * application's DataSource is not Hikari or cannot be copied.
	 */
	private static @Nullable DataSource hikariSettings(DataSource application,
			MigrationsConnectionDetails connectionDetails) {
		try {
			return HikariMigrationDataSource.of(application, connectionDetails.getJdbcUrl(),
					connectionDetails.getUsername(), connectionDetails.getPassword());
		}
		catch (RuntimeException ex) {
			// E.g. a driver that cannot be loaded: the derivation below reports it in its own way.
			return null;
		}
	}

}
