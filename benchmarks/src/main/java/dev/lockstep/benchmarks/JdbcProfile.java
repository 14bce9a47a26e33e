package dev.lockstep.benchmarks;

import java.io.PrintWriter;
import java.lang.reflect.InvocationHandler;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.Proxy;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.SQLFeatureNotSupportedException;
import java.sql.Statement;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.LongAdder;
import java.util.logging.Logger;

import javax.sql.DataSource;

/**
 * Where a run's database time goes: a DataSource that times connection opens and every statement it runs,
 * summed by what the statement is for (told from its SQL). Only for the benchmark's profile runs: the proxies cost
 * a little themselves.
 */
final class JdbcProfile implements DataSource {

	private final DataSource delegate;

	private final Map<String, long[]> totals = new ConcurrentHashMap<>();

	private final Map<String, LongAdder> samples = new ConcurrentHashMap<>();

	JdbcProfile(DataSource delegate) {
		this.delegate = delegate;
	}

	/** Per kind: how many, and the milliseconds they took, summed over all threads. */
	Map<String, String> summary(int tenants) {
		Map<String, String> summary = new TreeMap<>();
		this.totals.forEach((kind, total) -> {
			synchronized (total) {
				summary.put(kind, String.format(Locale.ROOT, "%d calls, %.0f ms (%.2f ms and %.1f calls per tenant)",
						total[0], total[1] / 1e6, total[1] / 1e6 / tenants, (double) total[0] / tenants));
			}
		});
		return summary;
	}

	/** The most frequent SQL texts of one kind (for the report). */
	Map<String, Long> samples() {
		Map<String, Long> top = new TreeMap<>();
		this.samples.forEach((sql, count) -> top.put(sql, count.sum()));
		return top;
	}

	private void add(String kind, long nanos) {
		long[] total = this.totals.computeIfAbsent(kind, (key) -> new long[2]);
		synchronized (total) {
			total[0]++;
			total[1] += nanos;
		}
	}

	static String kind(String sql) {
		String text = sql.toLowerCase(Locale.ROOT);
		if (text.contains("search_path")) {
			return "schema pinning (search_path)";
		}
		if (text.contains("advisory")) {
			return "lock (advisory)";
		}
		if (text.contains("databasechangeloglock")) {
			return "lock table (databasechangeloglock)";
		}
		if (text.contains("lockstep_")) {
			return "lockstep tables (fast-path record, last runs, drift record)";
		}
		if (text.contains("databasechangelog")) {
			return "history (databasechangelog)";
		}
		if (text.contains("pg_catalog") || text.contains("information_schema") || text.contains("pg_class")
				|| text.contains("pg_namespace") || text.contains("pg_index") || text.contains("pg_attribute")) {
			return "catalog reads";
		}
		if (text.startsWith("create schema")) {
			return "create schema";
		}
		if (text.startsWith("set ") || text.startsWith("show ") || text.startsWith("select current_")
				|| text.startsWith("select version") || text.startsWith("select 1")) {
			return "session settings";
		}
		return "changesets and other";
	}

	@Override
	public Connection getConnection() throws SQLException {
		long start = System.nanoTime();
		Connection connection = this.delegate.getConnection();
		add("connection opens", System.nanoTime() - start);
		return wrap(connection);
	}

	@Override
	public Connection getConnection(String username, String password) throws SQLException {
		long start = System.nanoTime();
		Connection connection = this.delegate.getConnection(username, password);
		add("connection opens", System.nanoTime() - start);
		return wrap(connection);
	}

	private Connection wrap(Connection connection) {
		return (Connection) Proxy.newProxyInstance(JdbcProfile.class.getClassLoader(), new Class<?>[] { Connection.class },
				new Timed(connection, null));
	}

	/** Times the connection's statements; statements prepared from SQL carry it, plain ones get it per call. */
	private final class Timed implements InvocationHandler {

		private final Object target;

		private final String sql;

		Timed(Object target, String sql) {
			this.target = target;
			this.sql = sql;
		}

		@Override
		public Object invoke(Object proxy, Method method, Object[] args) throws Throwable {
			String name = method.getName();
			if (name.equals("unwrap") && args[0] instanceof Class<?> type && type.isInstance(proxy)) {
				return proxy;
			}
			if (name.equals("close") && this.target instanceof Connection) {
				long start = System.nanoTime();
				try {
					return call(method, args);
				}
				finally {
					add("connection closes", System.nanoTime() - start);
				}
			}
			if (name.equals("commit") || name.equals("rollback")) {
				long start = System.nanoTime();
				try {
					return call(method, args);
				}
				finally {
					add("commit/rollback", System.nanoTime() - start);
				}
			}
			if (name.startsWith("execute")) {
				String text = (args != null && args.length > 0 && args[0] instanceof String given) ? given : this.sql;
				long start = System.nanoTime();
				try {
					return call(method, args);
				}
				finally {
					String kind = kind(String.valueOf(text));
					add(kind, System.nanoTime() - start);
					if (Boolean.getBoolean("bench.sqlSamples")) {
						String key = kind + " | " + String.valueOf(text).replaceAll("\\s+", " ").replaceAll("\\d+", "N");
						samples.computeIfAbsent(key.substring(0, Math.min(key.length(), 160)), (k) -> new LongAdder())
							.increment();
					}
				}
			}
			Object result = call(method, args);
			if (result instanceof Statement && (name.equals("createStatement") || name.startsWith("prepare"))) {
				String text = (args != null && args.length > 0 && args[0] instanceof String given) ? given : null;
				Class<?> type = name.equals("prepareCall") ? java.sql.CallableStatement.class
						: name.equals("prepareStatement") ? java.sql.PreparedStatement.class : Statement.class;
				return Proxy.newProxyInstance(JdbcProfile.class.getClassLoader(), new Class<?>[] { type },
						new Timed(result, text));
			}
			return result;
		}

		private Object call(Method method, Object[] args) throws Throwable {
			try {
				return method.invoke(this.target, args);
			}
			catch (InvocationTargetException ex) {
				throw ex.getCause();
			}
		}

	}

	@Override
	public PrintWriter getLogWriter() throws SQLException {
		return this.delegate.getLogWriter();
	}

	@Override
	public void setLogWriter(PrintWriter out) throws SQLException {
		this.delegate.setLogWriter(out);
	}

	@Override
	public void setLoginTimeout(int seconds) throws SQLException {
		this.delegate.setLoginTimeout(seconds);
	}

	@Override
	public int getLoginTimeout() throws SQLException {
		return this.delegate.getLoginTimeout();
	}

	@Override
	public Logger getParentLogger() throws SQLFeatureNotSupportedException {
		return this.delegate.getParentLogger();
	}

	@Override
	public <T> T unwrap(Class<T> type) throws SQLException {
		return type.isInstance(this) ? type.cast(this) : this.delegate.unwrap(type);
	}

	@Override
	public boolean isWrapperFor(Class<?> type) throws SQLException {
		return type.isInstance(this) || this.delegate.isWrapperFor(type);
	}

}
