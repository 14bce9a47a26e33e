package dev.lockstep.core.jdbc;

import java.lang.reflect.InvocationHandler;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.Proxy;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayDeque;
import java.util.Deque;

import javax.sql.DataSource;

/**
 * Keeps a few closed connections open for the next caller while many short runs follow each other (the tenants of
 * a target: each run opens a handful of connections, and opening one, TLS and authentication included, costs more
 * than a tenant's whole fast-path check). A connection handed back is reset first, as if new: its transaction
 * rolled back, every session setting reset ({@code RESET ALL}: search path, timeouts, application name) and every
 * advisory lock it may still hold released, so that nothing of one tenant's run reaches the next. Connections are
 * kept only until {@link #closeIdle()}, which the fleet calls when a batch of runs is over; on databases other than
 * PostgreSQL nothing is kept.
 */
public final class ReusedConnections extends ForwardingDataSource {

	private final int maxIdle;

	private final Deque<Connection> idle = new ArrayDeque<>();

	/**
	 * @param delegate where connections come from
	 * @param maxIdle how many handed-back connections to keep at most
	 */
	public ReusedConnections(DataSource delegate, int maxIdle) {
		super(delegate);
		this.maxIdle = maxIdle;
	}

	@Override
	public Connection getConnection() throws SQLException {
		Connection connection;
		synchronized (this.idle) {
			connection = this.idle.pollFirst();
		}
		if (connection == null) {
			connection = delegate().getConnection();
		}
		return (Connection) Proxy.newProxyInstance(ReusedConnections.class.getClassLoader(),
				new Class<?>[] { Connection.class }, new HandBack(connection));
	}

	@Override
	public Connection getConnection(String username, String password) throws SQLException {
		return delegate().getConnection(username, password);
	}

	/** Closes the connections kept for reuse. */
	public void closeIdle() {
		Deque<Connection> closing;
		synchronized (this.idle) {
			closing = new ArrayDeque<>(this.idle);
			this.idle.clear();
		}
		closing.forEach(DatabaseSessions::closeQuietly);
	}

	private void handBack(Connection connection) {
		boolean kept = false;
		try {
			if (!connection.isClosed() && DatabaseSessions.isPostgres(connection)) {
				if (!connection.getAutoCommit()) {
					connection.rollback();
					connection.setAutoCommit(true);
				}
				try (Statement statement = connection.createStatement()) {
					statement.execute("RESET ALL; SELECT pg_advisory_unlock_all()");
				}
				synchronized (this.idle) {
					if (this.idle.size() < this.maxIdle) {
						this.idle.addFirst(connection);
						kept = true;
					}
				}
			}
		}
		catch (SQLException | RuntimeException ex) {
			// A broken connection is not kept.
		}
		if (!kept) {
			DatabaseSessions.closeQuietly(connection);
		}
	}

	/** Hands the connection back instead of closing it; everything else goes to the connection as it is. */
	private final class HandBack implements InvocationHandler {

		private final Connection connection;

		private boolean closed;

		HandBack(Connection connection) {
			this.connection = connection;
		}

		@Override
		public Object invoke(Object proxy, Method method, Object[] args) throws Throwable {
			switch (method.getName()) {
				case "close" -> {
					if (!this.closed) {
						this.closed = true;
						handBack(this.connection);
					}
					return null;
				}
				case "isClosed" -> {
					return this.closed || this.connection.isClosed();
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
					if (this.closed) {
						throw new SQLException("This connection has been closed.", "08003");
					}
					try {
						return method.invoke(this.connection, args);
					}
					catch (InvocationTargetException ex) {
						throw ex.getCause();
					}
				}
			}
		}

	}

}
