package dev.lockstep.core.lock;

import java.net.SocketTimeoutException;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.Locale;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Function;

import dev.lockstep.core.jdbc.DatabaseSessions;
import dev.lockstep.core.jdbc.JdbcUrls;
import dev.lockstep.core.problem.LockWaitInterruptedException;
import dev.lockstep.core.problem.TransactionPoolingException;

/**
 * Refuses a lock connection that a pooler hands to PostgreSQL per transaction (PgBouncer, Supavisor or a cloud
 * pooler in transaction or statement mode): a session advisory lock taken through it lands on whichever server
 * session runs that statement, so it keeps no one out, and its unlock may land elsewhere.
 * <p>
 * A direct connection keeps one backend for its whole life, and no other connection ever shares it. The check
 * reads the lock connection's backend pid between transactions, then opens a second connection and keeps a
 * transaction open on it (which pins a server session even behind a transaction pooler), and reads the lock
 * connection's pid again. Behind a transaction pooler the second connection gets the lock connection's idle server
 * session (PgBouncer reuses the most recently used one first), or the lock connection moves to another one; a
 * statement pooler refuses the transaction outright. Session-mode pools pass: each client keeps its server
 * session. The check costs three short queries and one connection, paid only when a run needs the lock.
 */
public final class TransactionPoolingCheck {

	static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(10);

	/** Application name of the short-lived second connection. */
	static final String PROBE_CONNECTION_NAME = "lockstep-pooling-check";

	private static final Executor SAME_THREAD = Runnable::run;

	private final Function<String, Connection> connections;

	private final Duration timeout;

	/**
	 * @param connections opens a new connection to the same database, labelled with the given application name
	 */
	public TransactionPoolingCheck(Function<String, Connection> connections) {
		this(connections, DEFAULT_TIMEOUT);
	}

	TransactionPoolingCheck(Function<String, Connection> connections, Duration timeout) {
		this.connections = connections;
		this.timeout = timeout;
	}

	/**
	 * Checks the connection that is about to take the lock, in autocommit mode and between transactions.
	 * @throws TransactionPoolingException when it is pooled per transaction, or when that could not be ruled out
	 * @throws SQLException when the database cannot be read
	 */
	public void verify(Connection lockConnection) throws SQLException {
		String url = JdbcUrls.redact(lockConnection.getMetaData().getURL());
		int lockPid = backendPid(lockConnection, url, "the lock connection");
		Connection probe = openProbe(url);
		try {
			int probePid;
			try {
				probe.setNetworkTimeout(SAME_THREAD, (int) this.timeout.toMillis());
				probe.setAutoCommit(false);
				probePid = backendPid(probe, url, "a second connection");
			}
			catch (SQLException ex) {
				if (isPoolerRefusal(ex)) {
					throw TransactionPoolingException.pooled(url,
							"it refused a transaction block (\"" + ex.getMessage().strip() + "\")");
				}
				throw ex;
			}
			if (probePid == lockPid) {
				throw TransactionPoolingException.pooled(url, "a second connection was given the same server "
						+ "session (backend pid " + lockPid + ") while the lock connection was between transactions");
			}
			int lockPidAgain = backendPid(lockConnection, url, "the lock connection");
			if (lockPidAgain != lockPid) {
				throw TransactionPoolingException.pooled(url, "the lock connection moved from backend pid " + lockPid
						+ " to " + lockPidAgain + " between two transactions");
			}
		}
		finally {
			DatabaseSessions.closeQuietly(probe);
		}
	}

	/**
	 * Opens the second connection within the timeout: a pooler with no free server session may hold even the
	 * login (PgBouncer in session mode) until its own wait timeout, minutes later.
	 */
	private Connection openProbe(String url) {
		CompletableFuture<Connection> opening = CompletableFuture
			.supplyAsync(() -> this.connections.apply(PROBE_CONNECTION_NAME), (task) -> {
				Thread thread = new Thread(task, PROBE_CONNECTION_NAME);
				thread.setDaemon(true);
				thread.start();
			});
		try {
			return opening.get(this.timeout.toMillis(), TimeUnit.MILLISECONDS);
		}
		catch (TimeoutException ex) {
			// Closed when it opens after all.
			opening.thenAccept(DatabaseSessions::closeQuietly);
			throw TransactionPoolingException.undetermined(url,
					"a second connection was not opened within " + this.timeout.toSeconds() + " s");
		}
		catch (ExecutionException ex) {
			if (ex.getCause() instanceof RuntimeException failure) {
				throw failure;
			}
			throw new IllegalStateException(ex.getCause());
		}
		catch (InterruptedException ex) {
			opening.thenAccept(DatabaseSessions::closeQuietly);
			Thread.currentThread().interrupt();
			throw new LockWaitInterruptedException();
		}
	}

	private int backendPid(Connection connection, String url, String which) throws SQLException {
		int previousTimeout = connection.getNetworkTimeout();
		connection.setNetworkTimeout(SAME_THREAD, (int) this.timeout.toMillis());
		try (Statement statement = connection.createStatement();
				ResultSet rows = statement.executeQuery("SELECT pg_backend_pid()")) {
			rows.next();
			int pid = rows.getInt(1);
			connection.setNetworkTimeout(SAME_THREAD, previousTimeout);
			return pid;
		}
		catch (SQLException ex) {
			if (isTimeout(ex)) {
				throw TransactionPoolingException.undetermined(url,
						which + " got no answer within " + this.timeout.toSeconds() + " s");
			}
			throw ex;
		}
	}

	/** PgBouncer in statement mode: "transaction blocks not allowed in statement pooling mode". */
	private static boolean isPoolerRefusal(SQLException ex) {
		String message = (ex.getMessage() != null) ? ex.getMessage().toLowerCase(Locale.ROOT) : "";
		return message.contains("pooling mode") || message.contains("statement mode");
	}

	private static boolean isTimeout(Throwable ex) {
		for (Throwable cause = ex; cause != null; cause = cause.getCause()) {
			if (cause instanceof SocketTimeoutException) {
				return true;
			}
		}
		return false;
	}


}
