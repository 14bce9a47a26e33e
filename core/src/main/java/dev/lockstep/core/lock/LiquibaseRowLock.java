package dev.lockstep.core.lock;

import java.sql.Connection;
import java.sql.SQLException;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.function.BooleanSupplier;
import java.util.function.Function;

import liquibase.Scope;
import liquibase.database.Database;
import liquibase.exception.LockException;
import liquibase.executor.ExecutorService;
import liquibase.lockservice.StandardLockService;

import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import dev.lockstep.core.api.LockHolder;
import dev.lockstep.core.jdbc.JdbcUrls;
import dev.lockstep.core.problem.DatabaseUnavailableException;
import dev.lockstep.core.problem.LockTimeoutException;
import dev.lockstep.core.problem.Wording;

/**
 * The fallback for databases without advisory locks: Liquibase's own DATABASECHANGELOGLOCK row, taken by Liquibase's
 * standard lock service on the run's session before the run starts and released when the handle is closed, so it
 * also keeps out Liquibase clients outside Lockstep. Inside the run, Liquibase is told that the row is already held
 * ({@link HeldRowLockService}). A run killed while holding it leaves it locked until released by hand.
 */
public final class LiquibaseRowLock implements MigrationLock {

	private static final Logger logger = LoggerFactory.getLogger("dev.lockstep.Migrations");

	static final Duration POLL_INTERVAL = Duration.ofMillis(250);

	private final Function<String, Connection> connections;

	private final Function<Connection, Database> databases;

	private final String table;

	private final String sessionName;

	/**
	 * @param connections opens a new connection of the run's own, labelled with the given name
	 * @param databases wraps a connection in a Liquibase database with the run's schema settings
	 * @param table the qualified name of DATABASECHANGELOGLOCK, for plain SQL
	 * @param sessionName the name of the run's session
	 */
	public LiquibaseRowLock(Function<String, Connection> connections, Function<Connection, Database> databases,
			String table, String sessionName) {
		this.connections = connections;
		this.databases = databases;
		this.table = table;
		this.sessionName = sessionName;
	}

	/** Makes this lock for any database: the last resort of {@link MigrationLocks}. */
	public static MigrationLockProvider provider() {
		return (connection, context) -> Optional.of(new LiquibaseRowLock(context.connections(), context.databases(),
				context.history().table(connection, "DATABASECHANGELOGLOCK"), context.holderName()));
	}

	/** Liquibase finds its row held already and leaves it to the handle. */
	@Override
	public Map<String, Object> liquibaseScope(Duration rowWaitTimeout) {
		return HeldRowLockService.scope();
	}

	@Override
	public Optional<LockHandle> acquire(Duration timeout, WaitObserver observer, BooleanSupplier doneElsewhere) {
		Connection connection = this.connections.apply(this.sessionName);
		RowLockHandle handle = null;
		try {
			logger.info("{} has no advisory locks: Lockstep relies on Liquibase's DATABASECHANGELOGLOCK row, which a "
					+ "killed run leaves locked until released by hand", displayUrl(connection));
			Database database = this.databases.apply(connection);
			StandardLockService row = new StandardLockService();
			row.setDatabase(database);
			Optional<Duration> waited = new LockWait(timeout, observer, doneElsewhere).poll(POLL_INTERVAL,
					row::acquireLock, () -> holder(connection), (holder) -> timedOut(timeout, holder));
			if (waited.isPresent()) {
				handle = new RowLockHandle(connection, database, row, waited.get());
			}
			return Optional.ofNullable(handle);
		}
		catch (LockException ex) {
			throw new DatabaseUnavailableException("(migration lock)", ex);
		}
		finally {
			if (handle == null) {
				closeQuietly(connection);
			}
		}
	}

	@Override
	public Optional<LockHolder> holder(Connection connection) {
		return Optional.ofNullable(ChangeLogLockRow.read(connection, this.table));
	}

	private static LockTimeoutException timedOut(Duration timeout, @Nullable LockHolder holder) {
		String who = (holder != null) ? holder.describe() : "a run that has since released it";
		return new LockTimeoutException(
				"Timed out after " + LockWait.format(timeout) + " waiting for Liquibase's lock row "
						+ "DATABASECHANGELOGLOCK, held by " + who + ". Nothing was changed.",
				(wording) -> "Wait for that run to finish and start again, or raise "
						+ wording.setting(Wording.Setting.LOCK_WAIT_TIMEOUT) + ". If no such run "
						+ "is in progress, release the row with 'liquibase release-locks' "
						+ "(or UPDATE DATABASECHANGELOGLOCK SET LOCKED = FALSE).",
				holder);
	}

	private static String displayUrl(Connection connection) {
		try {
			return JdbcUrls.redact(connection.getMetaData().getURL());
		}
		catch (SQLException ex) {
			return "The database";
		}
	}

	private static void closeQuietly(Connection connection) {
		try {
			connection.close();
		}
		catch (SQLException ex) {
			// Nothing left to do with it.
		}
	}

	/** The row stays locked when the session is lost: it is not tied to the session (see the class comment). */
	private static final class RowLockHandle extends SessionLockHandle {

		private final Connection connection;

		private final Database database;

		private final StandardLockService row;

		private boolean closed;

		RowLockHandle(Connection connection, Database database, StandardLockService row, Duration waited) {
			super(connection, waited);
			this.connection = connection;
			this.database = database;
			this.row = row;
		}

		/** Ends what the run left open (Liquibase rolls back first), releases the row and closes the session. */
		@Override
		public synchronized void close() {
			if (this.closed) {
				return;
			}
			this.closed = true;
			try {
				this.row.releaseLock();
			}
			catch (LockException | RuntimeException ex) {
				logger.warn("Could not release Liquibase's DATABASECHANGELOGLOCK row; release it with 'liquibase "
						+ "release-locks' before the next run: {}", ex.getMessage());
			}
			finally {
				Scope.getCurrentScope().getSingleton(ExecutorService.class).clearExecutor("jdbc", this.database);
				closeQuietly(this.connection);
			}
		}

	}

}
