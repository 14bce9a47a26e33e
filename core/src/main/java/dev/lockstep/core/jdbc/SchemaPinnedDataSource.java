package dev.lockstep.core.jdbc;

import java.lang.reflect.InvocationHandler;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.Proxy;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;

import javax.sql.DataSource;

/**
 * Connections whose {@code search_path} starts with one schema (PostgreSQL), so that every statement of a tenant's
 * run, raw SQL included, creates unqualified objects in the tenant's schema and finds the tenant's own objects
 * first, whatever the changelog says (the session's previous path follows, for what is installed once per
 * database, such as extensions in {@code public}). Liquibase's
 * default schema qualifies the objects it generates; this covers what it does not (liquibase#3242: raw SQL of
 * {@code MultiTenantSpringLiquibase} lands in the default schema).
 * <p>
 * The path is set when a connection is handed out and put back as it was when the connection is closed (it may go
 * back to a pool), each in one round trip. On other databases the connections are handed out as they are.
 */
public final class SchemaPinnedDataSource extends ForwardingDataSource {

	private final String schema;

	private final boolean restoreOnClose;

	/**
	 * @param delegate where connections come from
	 * @param schema the schema as PostgreSQL names it (exact case; quoted in the path)
	 */
	public SchemaPinnedDataSource(DataSource delegate, String schema) {
		super(delegate);
		this.schema = schema;
		// Connections handed back to ReusedConnections are reset there (the path included).
		this.restoreOnClose = !(delegate instanceof ReusedConnections);
	}

	public String schema() {
		return this.schema;
	}

	@Override
	public Connection getConnection() throws SQLException {
		return pin(delegate().getConnection());
	}

	@Override
	public Connection getConnection(String username, String password) throws SQLException {
		return pin(delegate().getConnection(username, password));
	}

	private Connection pin(Connection connection) throws SQLException {
		if (!DatabaseSessions.isPostgres(connection)) {
			return connection;
		}
		String previous;
		// The tenant's schema first: what is created unqualified lands there; the session's own path follows, as
		// Liquibase itself sets it, so that extensions installed once per database (in public) still resolve.
		try (PreparedStatement statement = connection.prepareStatement("SELECT current_setting('search_path'), "
				+ "set_config('search_path', CASE WHEN current_setting('search_path') = '' THEN ? "
				+ "ELSE ? || ', ' || current_setting('search_path') END, false)")) {
			statement.setString(1, quoted(this.schema));
			statement.setString(2, quoted(this.schema));
			try (ResultSet row = statement.executeQuery()) {
				row.next();
				previous = row.getString(1);
			}
			if (!connection.getAutoCommit()) {
				// A rollback must not take the path back: the caller's first transaction starts after it.
				connection.commit();
			}
		}
		catch (SQLException ex) {
			DatabaseSessions.closeQuietly(connection);
			throw ex;
		}
		if (!this.restoreOnClose) {
			return connection;
		}
		return (Connection) Proxy.newProxyInstance(SchemaPinnedDataSource.class.getClassLoader(),
				new Class<?>[] { Connection.class }, new Restoring(connection, previous));
	}

	/** The name as a {@code search_path} element: always quoted, so that its exact spelling is what resolves. */
	public static String quoted(String schema) {
		return "\"" + schema.replace("\"", "\"\"") + "\"";
	}

	/** Puts the previous search path back on close; everything else goes to the connection as it is. */
	private static final class Restoring implements InvocationHandler {

		private final Connection connection;

		private final String previous;

		private boolean closed;

		Restoring(Connection connection, String previous) {
			this.connection = connection;
			this.previous = previous;
		}

		@Override
		public Object invoke(Object proxy, Method method, Object[] args) throws Throwable {
			switch (method.getName()) {
				case "close" -> {
					close();
					return null;
				}
				case "equals" -> {
					return proxy == args[0];
				}
				case "hashCode" -> {
					return System.identityHashCode(proxy);
				}
				case "toString" -> {
					return "Connection " + this.connection;
				}
				case "unwrap" -> {
					Class<?> type = (Class<?>) args[0];
					return type.isInstance(proxy) ? proxy : this.connection.unwrap(type);
				}
				default -> {
					try {
						return method.invoke(this.connection, args);
					}
					catch (InvocationTargetException ex) {
						throw ex.getCause();
					}
				}
			}
		}

		private void close() throws SQLException {
			if (this.closed) {
				return;
			}
			this.closed = true;
			try {
				if (!this.connection.isClosed()) {
					DatabaseSessions.rollbackQuietly(this.connection);
					try (PreparedStatement statement = this.connection
						.prepareStatement("SELECT set_config('search_path', ?, false)")) {
						statement.setString(1, this.previous);
						statement.execute();
					}
					if (!this.connection.getAutoCommit()) {
						this.connection.commit();
					}
				}
			}
			catch (SQLException ex) {
				// A broken connection: closing it below is all that is left.
			}
			finally {
				this.connection.close();
			}
		}

	}

}
