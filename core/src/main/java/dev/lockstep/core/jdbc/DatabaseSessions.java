package dev.lockstep.core.jdbc;

import java.lang.reflect.Method;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.function.Function;

import javax.sql.DataSource;

import liquibase.database.Database;
import liquibase.database.DatabaseFactory;
import liquibase.database.jvm.JdbcConnection;
import liquibase.exception.DatabaseException;
import liquibase.structure.core.Catalog;
import liquibase.structure.core.Schema;

import org.jspecify.annotations.Nullable;

import dev.lockstep.core.api.MigrationSettings;
import dev.lockstep.core.problem.DatabaseUnavailableException;

/**
 * Opens the connections a run uses, each labelled so that {@code pg_stat_activity} tells them apart, and wraps
 * them in Liquibase {@link Database}s configured with the run's schemas.
 */
public final class DatabaseSessions {

	private final DataSource dataSource;

	private final MigrationSettings settings;

	private volatile @Nullable String displayUrl;

	/** The URL the DataSource is configured with, redacted: shown until a connection tells the real one. */
	private final @Nullable String configuredUrl;

	/** Wraps a run's JDBC connection for Liquibase (the run layer's commit-holding connection). */
	private final Function<Connection, JdbcConnection> liquibaseConnection;

	/**
	 * @param liquibaseConnection wraps a JDBC connection for Liquibase; a run passes one that can hold commits back
	 */
	public DatabaseSessions(DataSource dataSource, MigrationSettings settings,
			Function<Connection, JdbcConnection> liquibaseConnection) {
		this.dataSource = dataSource;
		this.settings = settings;
		this.liquibaseConnection = liquibaseConnection;
		this.configuredUrl = configuredUrl(dataSource);
	}

	public MigrationSettings settings() {
		return this.settings;
	}

	/**
	 * Opens a connection of the run's own, labelled with the given application name. On PostgreSQL the session also
	 * switches off {@code idle_session_timeout} and {@code idle_in_transaction_session_timeout} for itself: a
	 * waiting follower stays idle between polls, and a status read keeps Liquibase's transaction open while it
	 * parses the changelog, both possibly longer than a short timeout set on the role or database (one round trip
	 * for the label and the settings).
	 */
	public Connection open(String applicationName) {
		Connection connection;
		try {
			connection = this.dataSource.getConnection();
		}
		catch (SQLException ex) {
			throw new DatabaseUnavailableException(displayUrl(), ex);
		}
		try {
			if (this.displayUrl == null) {
				this.displayUrl = JdbcUrls.redact(connection.getMetaData().getURL());
			}
			if (isPostgres(connection)) {
				labelPostgresSession(connection, truncate(applicationName));
			}
			else {
				connection.setClientInfo("ApplicationName", truncate(applicationName));
			}
		}
		catch (SQLException ex) {
			// Labelling is a courtesy to operators; not every driver supports it.
		}
		// The history's times are UTC whatever this JVM's zone (see HistoryTime).
		HistoryTime.useUtc(connection);
		return connection;
	}

	/**
	 * Wraps a connection in a Liquibase database with this run's schema settings. Its Liquibase connection can hold
	 * commits back, which runs use to commit each changeset together with its history row; until a run does, it
	 * behaves exactly like Liquibase's own.
	 */
	public Database liquibaseDatabase(Connection connection) {
		try {
			Database database = DatabaseFactory.getInstance()
				.findCorrectDatabaseImplementation(this.liquibaseConnection.apply(connection));
			String defaultSchema = this.settings.defaultSchema();
			if (defaultSchema != null) {
				if (database.supports(Schema.class)) {
					database.setDefaultSchemaName(defaultSchema);
				}
				else if (database.supports(Catalog.class)) {
					database.setDefaultCatalogName(defaultSchema);
				}
			}
			String liquibaseSchema = this.settings.liquibaseSchema();
			if (liquibaseSchema != null) {
				if (database.supports(Schema.class)) {
					database.setLiquibaseSchemaName(liquibaseSchema);
				}
				else if (database.supports(Catalog.class)) {
					database.setLiquibaseCatalogName(liquibaseSchema);
				}
			}
			return database;
		}
		catch (DatabaseException ex) {
			throw new DatabaseUnavailableException(displayUrl(), ex);
		}
	}

	/** The database URL without credentials, as far as it is known. */
	public String displayUrl() {
		if (this.displayUrl != null) {
			return this.displayUrl;
		}
		// No connection yet (e.g. the database is unreachable): the DataSource's own setting names it.
		return (this.configuredUrl != null) ? this.configuredUrl : "(the configured DataSource)";
	}

	/**
	 * The URL a DataSource is configured with, through the getter the common implementations have (Spring's
	 * driver-based DataSources, HikariCP, PostgreSQL's and H2's own), without credentials.
	 */
	static @Nullable String configuredUrl(DataSource dataSource) {
		for (String getter : new String[] { "getUrl", "getJdbcUrl", "getURL" }) {
			try {
				Method method = dataSource.getClass().getMethod(getter);
				if (method.getReturnType() == String.class && method.getParameterCount() == 0) {
					Object url = method.invoke(dataSource);
					if (url instanceof String text && !text.isBlank()) {
						return JdbcUrls.redact(text);
					}
				}
			}
			catch (ReflectiveOperationException | RuntimeException | LinkageError ex) {
				// Not this getter.
			}
		}
		return null;
	}

	public static boolean isPostgres(Connection connection) {
		try {
			return "PostgreSQL".equalsIgnoreCase(connection.getMetaData().getDatabaseProductName());
		}
		catch (SQLException ex) {
			return false;
		}
	}

	private static void labelPostgresSession(Connection connection, String applicationName) throws SQLException {
		try (java.sql.PreparedStatement statement = connection.prepareStatement("SELECT set_config('application_name', "
				+ "?, false), (SELECT count(set_config(name, '0', false)) FROM pg_settings "
				+ "WHERE name IN ('idle_session_timeout', 'idle_in_transaction_session_timeout'))")) {
			statement.setString(1, applicationName);
			statement.execute();
		}
	}

	static String truncate(String applicationName) {
		// PostgreSQL keeps 63 bytes of application_name.
		return (applicationName.length() > 63) ? applicationName.substring(0, 63) : applicationName;
	}

	/** Closes a Liquibase database and its JDBC connection, whatever state they are in. */
	public static void closeQuietly(@Nullable Database database, @Nullable Connection connection) {
		if (database != null) {
			try {
				database.close();
			}
			catch (DatabaseException | RuntimeException ex) {
				// Closing the JDBC connection below is what matters.
			}
		}
		closeQuietly(connection);
	}

	/** Ends the connection's open transaction, if any; a broken connection is reported by its next statement. */
	public static void rollbackQuietly(Connection connection) {
		try {
			if (!connection.getAutoCommit()) {
				connection.rollback();
			}
		}
		catch (SQLException ex) {
			// The next statement reports a broken connection.
		}
	}

	public static void closeQuietly(@Nullable Connection connection) {
		if (connection != null) {
			try {
				connection.close();
			}
			catch (SQLException ex) {
				// Nothing left to do with it.
			}
		}
	}

}
