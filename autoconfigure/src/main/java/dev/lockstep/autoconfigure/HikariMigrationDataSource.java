package dev.lockstep.autoconfigure;

import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Properties;

import javax.sql.DataSource;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariConfigMXBean;
import com.zaxxer.hikari.HikariCredentialsProvider;
import com.zaxxer.hikari.HikariDataSource;
import com.zaxxer.hikari.util.Credentials;
import com.zaxxer.hikari.util.DriverDataSource;
import com.zaxxer.hikari.util.PropertyElf;
import com.zaxxer.hikari.util.UtilityElf;
import org.jspecify.annotations.Nullable;

import org.springframework.boot.jdbc.DataSourceUnwrapper;
import org.springframework.boot.jdbc.DatabaseDriver;
import org.springframework.jdbc.datasource.AbstractDataSource;
import org.springframework.util.StringUtils;

/**
 * Connections made the way an application's Hikari pool makes them, without the pool: every
 * {@link #getConnection()} opens a new session that the caller closes, so a run's sessions (and the advisory lock
 * held on one of them) end when the run closes them and are never left in a pool.
 * <p>
 * A session gets what decides where and as whom it works: the driver, the URL, the data source properties
 * ({@code sslmode}, {@code currentSchema}, {@code options}, socket factories...), the credentials (or the
 * credentials provider), the catalog, the schema and the connection init SQL (e.g. {@code SET ROLE owner}), applied
 * in Hikari's order. {@code migrations.url}, {@code migrations.user} and {@code migrations.password} replace only
 * the URL and the credentials. What belongs to the pool (sizes, timeouts, auto-commit, read-only, isolation) is
 * not used: Lockstep and Liquibase manage their own transactions.
 */
public final class HikariMigrationDataSource extends AbstractDataSource {

	private final DataSource target;

	private final String jdbcUrl;

	private final Credentials credentials;

	private final @Nullable HikariCredentialsProvider credentialsProvider;

	private final @Nullable String catalog;

	private final @Nullable String schema;

	private final @Nullable String connectionInitSql;

	private HikariMigrationDataSource(DataSource target, String jdbcUrl, Credentials credentials,
			@Nullable HikariCredentialsProvider credentialsProvider, HikariConfig config) {
		this.target = target;
		this.jdbcUrl = jdbcUrl;
		this.credentials = credentials;
		this.credentialsProvider = credentialsProvider;
		this.catalog = config.getCatalog();
		this.schema = config.getSchema();
		this.connectionInitSql = config.getConnectionInitSql();
	}

	/**
	 * Connections with the settings of the given DataSource's Hikari configuration, with the URL and the
	 * credentials replaced where given; {@code null} when the DataSource is not Hikari or its connections cannot
	 * be made without its pool (JNDI, or a wrapped DataSource whose URL should change).
	 */
	static @Nullable HikariMigrationDataSource of(DataSource dataSource, @Nullable String url, @Nullable String user,
			@Nullable String password) {
		HikariDataSource hikari = DataSourceUnwrapper.unwrap(dataSource, HikariConfigMXBean.class,
				HikariDataSource.class);
		if (hikari == null) {
			return null;
		}
		// A copy: what the application changes on its pool later does not reach a run under way.
		HikariConfig config = new HikariConfig();
		hikari.copyStateTo(config);
		Properties properties = new Properties();
		properties.putAll(config.getDataSourceProperties());
		boolean newUrl = StringUtils.hasText(url);
		boolean newCredentials = StringUtils.hasText(user);
		Credentials credentials = newCredentials ? Credentials.of(user, password)
				: Credentials.of(config.getUsername(), config.getPassword());
		HikariCredentialsProvider provider = newCredentials ? null : config.getCredentialsProvider();
		if (newUrl) {
			if (config.getDataSource() != null || config.getDataSourceClassName() != null
					|| config.getDataSourceJNDI() != null) {
				// The URL is inside a DataSource object, not a setting that can be replaced.
				return null;
			}
			String driver = DatabaseDriver.fromJdbcUrl(url).getDriverClassName();
			return new HikariMigrationDataSource(new DriverDataSource(url, driver, properties, null, null), url,
					credentials, provider, config);
		}
		if (config.getDataSource() != null) {
			return new HikariMigrationDataSource(config.getDataSource(), config.getJdbcUrl(), credentials, provider,
					config);
		}
		if (config.getDataSourceClassName() != null) {
			DataSource target = UtilityElf.createInstance(config.getDataSourceClassName(), DataSource.class);
			PropertyElf.setTargetFromProperties(target, properties);
			return new HikariMigrationDataSource(target, config.getJdbcUrl(), credentials, provider, config);
		}
		if (config.getJdbcUrl() == null) {
			return null;
		}
		return new HikariMigrationDataSource(
				new DriverDataSource(config.getJdbcUrl(), config.getDriverClassName(), properties, null, null),
				config.getJdbcUrl(), credentials, provider, config);
	}

	/** The URL the connections go to (for display; DatabaseSessions redacts it). */
	public String getJdbcUrl() {
		return this.jdbcUrl;
	}

	@Override
	public Connection getConnection() throws SQLException {
		Credentials login = (this.credentialsProvider != null) ? this.credentialsProvider.getCredentials()
				: this.credentials;
		Connection connection = (login.getUsername() != null)
				? this.target.getConnection(login.getUsername(), login.getPassword()) : this.target.getConnection();
		try {
			if (this.catalog != null) {
				connection.setCatalog(this.catalog);
			}
			if (this.schema != null) {
				connection.setSchema(this.schema);
			}
			if (this.connectionInitSql != null) {
				try (Statement statement = connection.createStatement()) {
					statement.execute(this.connectionInitSql);
				}
			}
			return connection;
		}
		catch (SQLException | RuntimeException ex) {
			connection.close();
			throw ex;
		}
	}

	@Override
	public Connection getConnection(String username, String password) throws SQLException {
		throw new UnsupportedOperationException("Migrations use the configured credentials");
	}

}
