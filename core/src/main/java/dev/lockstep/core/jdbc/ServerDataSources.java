package dev.lockstep.core.jdbc;

import java.io.PrintWriter;
import java.lang.reflect.Method;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.SQLFeatureNotSupportedException;
import java.util.logging.Logger;

import javax.sql.DataSource;

import org.jspecify.annotations.Nullable;


/**
 * Connections to another database on the migration database's server, with the same credentials and settings:
 * what {@code migrations diff --against=changelog} needs to build the expected schema in a scratch database it
 * creates and drops itself. The engine derives one from its DataSource ({@link #derivedFrom}); Spring Boot's
 * auto-configuration supplies one built from the application's connection settings.
 */
@FunctionalInterface
public interface ServerDataSources {

	/**
	 * A DataSource for the named database on the same server.
	 * @param database the database's name
	 * @return its DataSource, or {@code null} when this cannot be told (then the caller says what is needed)
	 */
	@Nullable DataSource forDatabase(String database);

	/** Knows no other database. */
	ServerDataSources NONE = (database) -> null;

	/**
	 * Connections made with {@link DriverManager}, from the URL, user and password the given DataSource exposes
	 * through the getters the common implementations have ({@code getUrl}/{@code getJdbcUrl}/{@code getURL},
	 * {@code getUser}/{@code getUsername}, {@code getPassword}: PostgreSQL's own DataSources, Spring's driver-based
	 * ones, HikariCP), the URL naming the other database. A DataSource that exposes no URL yields none.
	 */
	static ServerDataSources derivedFrom(DataSource dataSource) {
		return (database) -> {
			String url = JdbcUrls.withDatabase(text(dataSource, "getUrl", "getJdbcUrl", "getURL"), database);
			if (url == null) {
				return null;
			}
			return new DriverManagerDataSource(url, text(dataSource, "getUser", "getUsername"),
					text(dataSource, "getPassword"));
		};
	}

	private static @Nullable String text(Object source, String... getters) {
		for (String getter : getters) {
			try {
				Method method = source.getClass().getMethod(getter);
				if (method.getReturnType() == String.class && method.getParameterCount() == 0) {
					Object value = method.invoke(source);
					if (value instanceof String text && !text.isBlank()) {
						return text;
					}
				}
			}
			catch (ReflectiveOperationException | RuntimeException | LinkageError ex) {
				// Not this getter.
			}
		}
		return null;
	}

	/** A new connection per call, as the engine's own sessions need. */
	record DriverManagerDataSource(String url, @Nullable String user, @Nullable String password)
			implements DataSource {

		@Override
		public Connection getConnection() throws SQLException {
			return (this.user != null) ? DriverManager.getConnection(this.url, this.user, this.password)
					: DriverManager.getConnection(this.url);
		}

		@Override
		public Connection getConnection(String username, String password) throws SQLException {
			return DriverManager.getConnection(this.url, username, password);
		}

		@Override
		public @Nullable PrintWriter getLogWriter() {
			return null;
		}

		@Override
		public void setLogWriter(@Nullable PrintWriter out) {
		}

		@Override
		public void setLoginTimeout(int seconds) {
		}

		@Override
		public int getLoginTimeout() {
			return 0;
		}

		@Override
		public Logger getParentLogger() throws SQLFeatureNotSupportedException {
			throw new SQLFeatureNotSupportedException();
		}

		@Override
		public <T> T unwrap(Class<T> type) throws SQLException {
			throw new SQLException("Not a wrapper");
		}

		@Override
		public boolean isWrapperFor(Class<?> type) {
			return false;
		}

		@Override
		public String toString() {
			return "DriverManagerDataSource[" + JdbcUrls.redact(this.url) + "]";
		}

	}

}
