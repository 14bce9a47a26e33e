package dev.lockstep.core.run;

import java.net.InetAddress;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.BooleanSupplier;

import liquibase.database.Database;

import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import dev.lockstep.core.api.MigrationSettings;
import dev.lockstep.core.drift.DriftRecorder;
import dev.lockstep.core.drift.SchemaDrift;
import dev.lockstep.core.jdbc.DatabaseSessions;
import dev.lockstep.core.jdbc.HistoryLocation;
import dev.lockstep.core.lock.LockHandle;
import dev.lockstep.core.lock.MigrationLock;
import dev.lockstep.core.lock.MigrationLockContext;
import dev.lockstep.core.lock.MigrationLocks;
import dev.lockstep.core.lock.PostgresAdvisoryLock;
import dev.lockstep.core.problem.DatabaseUnavailableException;
import dev.lockstep.core.problem.LockTimeoutException;
import dev.lockstep.core.problem.LockWaitInterruptedException;
import dev.lockstep.core.problem.MigrationException;

/**
 * Everything the engine does with the migration lock, in one place: picks the lock for a database, waits for it
 * (giving up when another instance did the work meanwhile), runs the work on the session that holds it under a
 * watchdog, one changing run per JVM, and gives Liquibase the scope values that make it use this lock.
 */
public final class LockedRun {

	private static final Logger logger = LoggerFactory.getLogger("dev.lockstep.Migrations");

	/**
	 * One changing run at a time per history in this JVM (Liquibase's lock and history services are per-JVM
	 * singletons keyed by connection; two engines of one process on one history must not interleave). Runs on
	 * different histories (the tenants of a target, each in its own schema) go on in parallel.
	 */
	private static final ConcurrentMap<String, ReentrantLock> RUNS_PER_HISTORY = new ConcurrentHashMap<>();

	private static final String WATCHDOG_CONNECTION_NAME = "lockstep-watchdog";

	private final DatabaseSessions sessions;

	private final MigrationSettings settings;

	private final HistoryLocation history;

	private final RunEvents events;

	private final SchemaDrift drift;

	/** Picks the migration lock per database. */
	private final MigrationLocks locks = MigrationLocks.standard();

	private volatile @Nullable String holderName;

	private volatile BooleanSupplier cancelled = () -> false;

	public LockedRun(DatabaseSessions sessions, HistoryLocation history, RunEvents events, SchemaDrift drift) {
		this.sessions = sessions;
		this.settings = sessions.settings();
		this.history = history;
		this.events = events;
		this.drift = drift;
	}

	/**
	 * Makes lock waits give up, changing nothing, as soon as the condition holds (e.g. the JVM is shutting down).
	 */
	public void cancelWaitsWhen(BooleanSupplier condition) {
		this.cancelled = condition;
	}

	private Optional<LockHandle> acquire(MigrationLock lock, @Nullable BooleanSupplier doneElsewhere) {
		try {
			if (this.cancelled.getAsBoolean()) {
				throw new LockWaitInterruptedException();
			}
			BooleanSupplier done = (doneElsewhere != null) ? doneElsewhere : () -> false;
			Optional<LockHandle> acquired = lock.acquire(this.settings.lockWaitTimeout(),
					(holder, waited) -> logger.info("Waiting {} s for the migration lock held by {}",
							waited.toSeconds(), (holder != null) ? holder.describe() : "another instance"),
					() -> {
						if (this.cancelled.getAsBoolean()) {
							throw new LockWaitInterruptedException();
						}
						return done.getAsBoolean();
					});
			if (acquired.isEmpty()) {
				logger.info("Another instance applied the pending changesets while this one waited: nothing to do");
				return acquired;
			}
			LockHandle handle = acquired.get();
			if (handle.waited().toMillis() >= 50) {
				logger.info("Got the migration lock after waiting {} ms", handle.waited().toMillis());
			}
			this.events.lockWaitEnded(handle.waited(), true);
			return acquired;
		}
		catch (LockTimeoutException ex) {
			this.events.lockWaitEnded(this.settings.lockWaitTimeout(), false);
			throw ex;
		}
	}

	/**
	 * Runs work under the migration lock, on the session that holds it, one changing run per JVM at a time.
	 */
	public <T> LockedResult<T> locked(Prepared prepared, LockedWork<T> work) {
		return locked(prepared, work, null);
	}

	/**
	 * Runs work under the migration lock, unless {@code doneElsewhere} (checked now and then while waiting) says
	 * another instance already did it: then the result's value is {@code null}.
	 */
	public <T> LockedResult<T> locked(Prepared prepared, LockedWork<T> work,
			@Nullable BooleanSupplier doneElsewhere) {
		Optional<LockHandle> acquired = acquire(prepared.lock(), doneElsewhere);
		if (acquired.isEmpty()) {
			return new LockedResult<>(null, Duration.ZERO);
		}
		LockHandle handle = acquired.get();
		RunWatchdog watchdog = null;
		ReentrantLock runs = RUNS_PER_HISTORY.computeIfAbsent(
				this.sessions.displayUrl() + " " + this.history.table(handle.session(), "databasechangelog"),
				(key) -> new ReentrantLock());
		try {
			runs.lock();
			// The lock's own session does the work: when it ends, the lock and the run end together.
			Connection connection = handle.session();
			Database database = null;
			try {
				// Ends the run when its connection is lost, instead of waiting on a dead socket.
				watchdog = RunWatchdog.start(connection, () -> this.sessions.open(WATCHDOG_CONNECTION_NAME),
						handle::abandon);
				database = this.sessions.liquibaseDatabase(connection);
				// What the work changes is recorded as made by the migrations, for drift checks (also when it fails).
				DriftRecorder.Before before = this.drift.beforeChange(connection);
				try {
					T value = work.run(new LockedSession(database, connection, prepared, handle.waited()));
					return new LockedResult<>(value, handle.waited());
				}
				finally {
					this.drift.afterChange(connection, before, holderName());
				}
			}
			catch (MigrationException ex) {
				throw (watchdog != null) ? watchdog.explain(ex) : ex;
			}
			finally {
				// The handle unlocks before it closes the session (a pooled session would keep the lock).
				forget(database);
				runs.unlock();
			}
		}
		finally {
			handle.close();
			if (watchdog != null) {
				watchdog.close();
			}
		}
	}

	/** Scope values for Liquibase commands run under the given lock. */
	public Map<String, Object> liquibaseScope(MigrationLock lock) {
		Map<String, Object> scope = new java.util.HashMap<>(lock.liquibaseScope(this.settings.lockWaitTimeout()));
		// Liquibase generates one deployment id per JVM (in its root scope): give each run its own, so that the
		// history tells runs of one process apart (the endpoint's apply after the startup run, several engines).
		scope.put(liquibase.Scope.Attr.deploymentId.name(), deploymentId());
		return scope;
	}

	/** A new deployment id, made as Liquibase makes it: the last ten digits of the current time in milliseconds. */
	private static String deploymentId() {
		String millis = String.valueOf(System.currentTimeMillis());
		return (millis.length() > 10) ? millis.substring(millis.length() - 10)
				: String.format("%010d", Long.parseLong(millis));
	}

	/** The lock that protects the history this connection sees. */
	public MigrationLock lockFor(Connection connection) {
		try {
			return this.locks.lockFor(connection, new MigrationLockContext(this.sessions::open,
					this.sessions::liquibaseDatabase, this.history, holderName()));
		}
		catch (SQLException ex) {
			throw new DatabaseUnavailableException(this.sessions.displayUrl(), ex);
		}
	}

	/** How this process names itself as the lock's holder, and in the rows it writes. */
	public String holderName() {
		if (this.holderName == null) {
			this.holderName = PostgresAdvisoryLock.holderName(this.settings.applicationName(),
					ProcessHandle.current().pid(), hostName());
		}
		return this.holderName;
	}

	static String hostName() {
		String host = System.getenv("HOSTNAME");
		if (host != null && !host.isBlank()) {
			return host;
		}
		try {
			return InetAddress.getLocalHost().getHostName();
		}
		catch (Exception ex) {
			return "unknown-host";
		}
	}

	/** Lets go of a Liquibase database whose connection someone else closes. */
	private static void forget(@Nullable Database database) {
		if (database != null) {
			liquibase.Scope.getCurrentScope()
				.getSingleton(liquibase.executor.ExecutorService.class)
				.clearExecutor("jdbc", database);
		}
	}

	/** The lock's session, the Liquibase database on it and what was read before the lock. */
	public record LockedSession(Database database, Connection connection, Prepared prepared, Duration waited) {
	}

	/** What the work returned ({@code null} when another instance did it) and how long the lock took. */
	public record LockedResult<T>(@Nullable T value, Duration waited) {
	}

	@FunctionalInterface
	public interface LockedWork<T> {

		T run(LockedSession session);

	}

}
