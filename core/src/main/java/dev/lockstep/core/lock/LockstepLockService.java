package dev.lockstep.core.lock;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.util.Map;

import liquibase.Scope;
import liquibase.database.Database;
import liquibase.database.jvm.JdbcConnection;
import liquibase.exception.LockException;
import liquibase.util.NetUtil;

import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import dev.lockstep.core.api.LockHolder;
import dev.lockstep.core.problem.LockTimeoutException;

/**
 * Liquibase's row lock, as taken by a Lockstep run that already holds the PostgreSQL advisory lock.
 * <p>
 * The row still keeps out Liquibase clients that know nothing of the advisory lock (a CLI run elsewhere). It is
 * marked as Lockstep's, and because a live Lockstep holder of the row always holds the advisory lock too, a marked
 * row found by the advisory lock's holder was left by a run that died: it is taken over instead of waited for.
 * Selected only for databases opened inside a Lockstep run (see {@link #scope}); every other Liquibase use keeps
 * the standard lock service.
 */
public class LockstepLockService extends RunRowLockService {

	private static final Logger logger = LoggerFactory.getLogger(LockstepLockService.class);

	static final String HOLDER_KEY = "lockstep.changelogLock.holder";

	static final String DEADLINE_KEY = "lockstep.changelogLock.deadlineNanos";

	private static final Duration POLL_INTERVAL = Duration.ofMillis(250);

	/**
	 * Scope values that make Liquibase use this lock service for databases created inside that scope.
	 * @param holderDescription who the run is
	 * @param timeout how long to wait for a foreign Liquibase client's row lock
	 */
	public static Map<String, Object> scope(String holderDescription, Duration timeout) {
		return Map.of(HOLDER_KEY, holderDescription, DEADLINE_KEY, System.nanoTime() + timeout.toNanos());
	}

	@Override
	public int getPriority() {
		return super.getPriority() + 100;
	}

	@Override
	public boolean supports(Database database) {
		return Scope.getCurrentScope().get(HOLDER_KEY, String.class) != null && super.supports(database);
	}

	@Override
	public void waitForLock() throws LockException {
		Long deadline = Scope.getCurrentScope().get(DEADLINE_KEY, Long.class);
		long giveUp = (deadline != null) ? deadline : System.nanoTime();
		long nextReport = System.nanoTime() + Duration.ofSeconds(5).toNanos();
		while (!acquireLock()) {
			long now = System.nanoTime();
			String holder = describeRowHolder();
			if (now - giveUp >= 0) {
				String message = "Liquibase's lock row DATABASECHANGELOGLOCK is held by " + holder
						+ ", a Liquibase client outside Lockstep. If no such run is in progress, release it with "
						+ "'liquibase release-locks' (or UPDATE DATABASECHANGELOGLOCK SET LOCKED = FALSE).";
				// Liquibase wants a LockException; the typed problem with the holder's data travels as its cause.
				throw new LockException(message, new LockTimeoutException(message,
						"Wait for that Liquibase run to finish, or release its lock if it is gone.", rowHolder()));
			}
			if (now - nextReport >= 0) {
				logger.info("Waiting for Liquibase's lock row, held by {}", holder);
				nextReport = now + Duration.ofSeconds(5).toNanos();
			}
			try {
				Thread.sleep(POLL_INTERVAL.toMillis());
			}
			catch (InterruptedException ex) {
				Thread.currentThread().interrupt();
				throw new LockException("Interrupted while waiting for Liquibase's lock row");
			}
		}
	}

	/** Takes a free row, or one a dead Lockstep run left (its marker says so: the advisory lock is held now). */
	@Override
	protected boolean tryTake(Connection connection, String lockTable) throws Exception {
		init();
		String previousHolder = null;
		try (Statement statement = connection.createStatement();
				ResultSet row = statement.executeQuery("SELECT LOCKED, LOCKEDBY FROM " + lockTable + " WHERE ID = 1")) {
			if (row.next() && row.getBoolean(1)) {
				previousHolder = row.getString(2);
			}
		}
		int updated;
		try (PreparedStatement statement = connection.prepareStatement("UPDATE " + lockTable
				+ " SET LOCKED = TRUE, LOCKGRANTED = CURRENT_TIMESTAMP, LOCKEDBY = ? "
				+ "WHERE ID = 1 AND (LOCKED = FALSE OR LOCKEDBY LIKE ?)")) {
			statement.setString(1, lockedBy());
			statement.setString(2, "%" + ChangeLogLockRow.MARKER + "%");
			updated = statement.executeUpdate();
		}
		if (updated != 1) {
			connection.rollback();
			return false;
		}
		connection.commit();
		if (previousHolder != null) {
			logger.warn("Took over Liquibase's lock row left locked by a migration run that died: {}", previousHolder);
		}
		return true;
	}

	@Override
	public void releaseLock() throws LockException {
		try {
			super.releaseLock();
		}
		finally {
			forgetHeld();
		}
	}

	private @Nullable LockHolder rowHolder() {
		try {
			Connection connection = ((JdbcConnection) this.database.getConnection()).getUnderlyingConnection();
			return ChangeLogLockRow.read(connection, lockTable());
		}
		catch (RuntimeException ex) {
			return null;
		}
	}

	private String describeRowHolder() {
		try {
			var lock = listLocks();
			if (lock.length > 0) {
				return lock[0].getLockedBy() + " since " + lock[0].getLockGranted().toInstant();
			}
		}
		catch (LockException ex) {
			// Fall through to the generic description.
		}
		return "another Liquibase client";
	}

	private static String lockedBy() {
		String holder = Scope.getCurrentScope().get(HOLDER_KEY, String.class);
		String host;
		try {
			host = NetUtil.getLocalHostName() + " (" + NetUtil.getLocalHostAddress() + ")";
		}
		catch (Exception ex) {
			host = "unknown host";
		}
		String text = host + " " + ChangeLogLockRow.MARKER + " " + holder;
		return (text.length() > 255) ? text.substring(0, 255) : text;
	}

}
