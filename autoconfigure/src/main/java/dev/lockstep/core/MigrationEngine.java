package dev.lockstep.core;

import java.net.InetAddress;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.locks.ReentrantLock;
import java.util.stream.Collectors;

import javax.sql.DataSource;

import liquibase.GlobalConfiguration;
import liquibase.changelog.ChangeSet;
import liquibase.command.CommandScope;
import liquibase.command.core.TagCommandStep;
import liquibase.command.core.UpdateCommandStep;
import liquibase.command.core.helpers.ChangeExecListenerCommandStep;
import liquibase.command.core.helpers.DatabaseChangelogCommandStep;
import liquibase.command.core.helpers.DbUrlConnectionArgumentsCommandStep;
import liquibase.command.core.helpers.ShowSummaryArgument;
import liquibase.UpdateSummaryEnum;
import liquibase.UpdateSummaryOutputEnum;
import liquibase.database.Database;
import liquibase.exception.DatabaseException;
import liquibase.resource.ResourceAccessor;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import dev.lockstep.core.lock.LiquibaseRowLock;
import dev.lockstep.core.lock.LockHandle;
import dev.lockstep.core.lock.LockKey;
import dev.lockstep.core.lock.LockstepLockService;
import dev.lockstep.core.lock.MigrationLock;
import dev.lockstep.core.lock.PostgresAdvisoryLock;

/**
 * Lockstep's Spring-free core: reads where the schema stands and applies the changelog under the lock.
 * <p>
 * An up-to-date database is recognised without taking any lock. Otherwise the run waits for the lock (on
 * PostgreSQL a session advisory lock, elsewhere Liquibase's own row), reads the history again (another instance
 * may have done the work meanwhile) and applies what is still pending, all on connections of its own.
 */
public final class MigrationEngine {

	private static final Logger logger = LoggerFactory.getLogger("dev.lockstep.Migrations");

	/** Liquibase keeps per-JVM singletons (lock and history services): one changing run at a time per JVM. */
	private static final ReentrantLock LIQUIBASE_RUNS = new ReentrantLock();

	private static final String STATUS_CONNECTION_NAME = "lockstep-status";

	private final DatabaseSessions sessions;

	private final ChangeLogLoader loader;

	private final StatusReader reader;

	private final MigrationSettings settings;

	private final LockKey lockKey;

	private final LastRunStore lastRuns;

	/** The changelog in a jar does not change while the application runs: parse it once. */
	private volatile LoadedChangeLog parsed;

	private final List<MigrationRunListener> listeners = new CopyOnWriteArrayList<>();

	/** Ended runs and lock waits, replayed to late listeners; bounded, oldest dropped first. */
	private final java.util.Deque<java.util.function.Consumer<MigrationRunListener>> pastEvents = new java.util.ArrayDeque<>();

	private volatile String holderName;

	public MigrationEngine(DataSource dataSource, ResourceAccessor resources, MigrationSettings settings) {
		this.settings = settings;
		this.sessions = new DatabaseSessions(dataSource, settings);
		this.loader = new ChangeLogLoader(resources);
		this.lastRuns = new LastRunStore(settings.historySchema());
		this.reader = new StatusReader(this.loader, this.lastRuns);
		this.lockKey = LockKey.forHistory(settings.historySchema(), "databasechangeloglock");
	}

	public MigrationSettings settings() {
		return this.settings;
	}

	/**
	 * Adds a listener. Runs that already ended (the startup run, for a listener created later, such as metrics) are
	 * replayed to it first.
	 */
	public void addListener(MigrationRunListener listener) {
		synchronized (this.pastEvents) {
			for (java.util.function.Consumer<MigrationRunListener> event : this.pastEvents) {
				event.accept(listener);
			}
			this.listeners.add(listener);
		}
	}

	/** The database URL without credentials, as far as it is known. */
	public String displayUrl() {
		return this.sessions.displayUrl();
	}

	/**
	 * Reads where the schema stands; changes nothing and takes no lock.
	 */
	public MigrationStatus status() {
		return inspect().status();
	}

	/**
	 * Reads the status together with the applied changesets and the last recorded run; changes nothing and takes
	 * no lock.
	 */
	public HistoryReport inspect() {
		return withStatusSession((database, changeLog, lock) -> this.reader.read(database, changeLog, lock::holder));
	}

	/**
	 * The SQL each pending changeset would run, generated without touching the database's schema or any lock.
	 */
	public List<PendingSql> pendingSql() {
		return withStatusSession((database, changeLog, lock) -> {
			HistoryReport report = this.reader.read(database, changeLog, (connection) -> null);
			try {
				return new PendingSqlGenerator(this.loader.resources()).generate(database, changeLog,
						report.status().pending());
			}
			catch (MigrationException ex) {
				throw ex;
			}
			catch (Exception ex) {
				throw new MigrationException("Could not generate the SQL of the pending changesets: "
						+ DatabaseUnavailableException.rootMessage(ex), "Check the changesets named above.", ex);
			}
		});
	}

	/**
	 * Does what a startup in the given mode does: apply pending changesets, or check that there are none.
	 * @throws MigrationException when the mode refuses to start or the run fails
	 */
	public RunResult run(MigrationMode mode) {
		return switch (mode) {
			case APPLY -> apply();
			case VALIDATE -> validate();
			case REPORT -> report();
		};
	}

	/**
	 * Applies every pending changeset under the lock, then tags the database if a tag is configured.
	 */
	public RunResult apply() {
		Instant started = Instant.now();
		fire((listener) -> listener.runStarted(MigrationMode.APPLY));
		Duration waited = Duration.ZERO;
		int applied = 0;
		try {
			Prepared prepared = withStatusSession((database, changeLog, lock) -> new Prepared(changeLog, lock,
					this.reader.read(database, changeLog, lock::holder)));
			requireNoDrift(prepared.report().status(), MigrationMode.APPLY);
			if (!prepared.report().needsUpdate()) {
				logUpToDate(prepared.report().status());
				return ended(MigrationMode.APPLY, started, 0, RunOutcome.SUCCESS, null, waited);
			}
			if (!prepared.lock().isAdvisory()) {
				logger.info("{} has no advisory locks: Lockstep relies on Liquibase's DATABASECHANGELOGLOCK row, "
						+ "which a killed run leaves locked until released by hand", this.sessions.displayUrl());
			}
			LockHandle handle = acquire(prepared.lock());
			try {
				waited = handle.waited();
				applied = applyLocked(prepared, started, waited);
			}
			finally {
				handle.close();
			}
			return ended(MigrationMode.APPLY, started, applied, RunOutcome.SUCCESS, null, waited);
		}
		catch (MigrationException ex) {
			ended(MigrationMode.APPLY, started, applied, RunOutcome.FAILED, ex.getMessage(), waited);
			throw ex;
		}
	}

	private RunResult validate() {
		Instant started = Instant.now();
		fire((listener) -> listener.runStarted(MigrationMode.VALIDATE));
		try {
			MigrationStatus status = status();
			if (!status.isUpToDate()) {
				throw new SchemaMismatchException(describeMismatch(status),
						"Apply the changelog before this version starts: run 'java -jar app.jar migrations update' "
								+ "(or start one instance with migrations.mode=apply). For changesets the database has "
								+ "but this changelog lacks, deploy the version that declares them or roll them back.",
						status);
			}
			logUpToDate(status);
			return ended(MigrationMode.VALIDATE, started, 0, RunOutcome.VALIDATED, null, Duration.ZERO);
		}
		catch (MigrationException ex) {
			ended(MigrationMode.VALIDATE, started, 0,
					(ex instanceof SchemaMismatchException) ? RunOutcome.REFUSED : RunOutcome.FAILED,
					ex.getMessage(), Duration.ZERO);
			throw ex;
		}
	}

	private RunResult report() {
		Instant started = Instant.now();
		fire((listener) -> listener.runStarted(MigrationMode.REPORT));
		try {
			MigrationStatus status = status();
			if (status.isUpToDate()) {
				logUpToDate(status);
			}
			else {
				logger.warn("Schema does not match the changelog (report mode changes nothing): {}",
						describeMismatch(status).replace('\n', ' '));
			}
			return ended(MigrationMode.REPORT, started, 0, RunOutcome.VALIDATED, null, Duration.ZERO);
		}
		catch (MigrationException ex) {
			logger.warn("Could not read the schema's status (report mode starts anyway): {}", ex.getMessage());
			return ended(MigrationMode.REPORT, started, 0, RunOutcome.FAILED, ex.getMessage(), Duration.ZERO);
		}
	}

	private LockHandle acquire(MigrationLock lock) {
		try {
			LockHandle handle = lock.acquire(this.settings.lockWaitTimeout(), (holder, waited) -> logger.info(
					"Waiting {} s for the migration lock held by {}", waited.toSeconds(),
					(holder != null) ? holder.describe() : "another instance"));
			if (!handle.waited().isZero() && handle.waited().toMillis() > 0) {
				logger.info("Got the migration lock after waiting {} ms", handle.waited().toMillis());
			}
			fireAndKeep((listener) -> listener.lockWaitEnded(handle.waited(), true));
			return handle;
		}
		catch (LockTimeoutException ex) {
			fireAndKeep((listener) -> listener.lockWaitEnded(this.settings.lockWaitTimeout(), false));
			throw ex;
		}
	}

	private int applyLocked(Prepared prepared, Instant started, Duration waited) {
		LIQUIBASE_RUNS.lock();
		Connection connection = this.sessions.open(
				prepared.lock().isAdvisory() ? this.lockKey.runConnectionName() : "lockstep-run");
		Database database = null;
		ProgressLog progress = null;
		try {
			if (prepared.lock().isAdvisory()) {
				detectDeadClient(connection);
			}
			database = this.sessions.liquibaseDatabase(connection);
			HistoryReport report = this.reader.read(database, prepared.changeLog(), prepared.lock()::holder);
			if (!report.needsUpdate()) {
				logger.info("Another instance applied the pending changesets while this one waited");
				logUpToDate(report.status());
				return 0;
			}
			requireNoDrift(report.status(), MigrationMode.APPLY);
			long start = System.nanoTime();
			progress = new ProgressLog(report.status().pending().size() + report.alwaysRun().size());
			try {
				update(database, prepared, progress);
			}
			catch (Exception ex) {
				MigrationException failure = translate(ex, progress, database);
				recordRun(connection, new RunResult(MigrationMode.APPLY, started, Instant.now(), progress.applied(),
						RunOutcome.FAILED, failure.getMessage(), waited));
				throw failure;
			}
			int applied = progress.applied();
			recordRun(connection,
					new RunResult(MigrationMode.APPLY, started, Instant.now(), applied, RunOutcome.SUCCESS, null, waited));
			logger.info("Applied {} changeset(s) in {} ms; {}", applied,
					Duration.ofNanos(System.nanoTime() - start).toMillis(), describeCurrent(database, prepared));
			return applied;
		}
		catch (MigrationException ex) {
			throw ex;
		}
		catch (Exception ex) {
			throw translate(ex, progress, database);
		}
		finally {
			closeQuietly(database, connection);
			LIQUIBASE_RUNS.unlock();
		}
	}

	private void update(Database database, Prepared prepared, ProgressLog progress) throws Exception {
		LoadedChangeLog changeLog = prepared.changeLog();
		Map<String, Object> scope = new java.util.HashMap<>(prepared.lock().isAdvisory()
				? LockstepLockService.scope(holderName(), this.settings.lockWaitTimeout())
				: Map.of(GlobalConfiguration.CHANGELOGLOCK_WAIT_TIME.getKey(),
						Math.max(1L, (this.settings.lockWaitTimeout().toSeconds() + 59) / 60),
						GlobalConfiguration.CHANGELOGLOCK_POLL_RATE.getKey(), 1L));
		// Liquibase generates one deployment id per JVM (in its root scope): give each run its own, so that the
		// history tells runs of one process apart (the endpoint's apply after the startup run, several engines).
		scope.put(liquibase.Scope.Attr.deploymentId.name(), deploymentId());
		LiquibaseScope.call(this.loader.resources(), database, scope, () -> {
			CommandScope update = new CommandScope(UpdateCommandStep.COMMAND_NAME);
			update.addArgumentValue(DbUrlConnectionArgumentsCommandStep.DATABASE_ARG, database);
			update.addArgumentValue(UpdateCommandStep.CHANGELOG_ARG, changeLog.changeLog());
			update.addArgumentValue(UpdateCommandStep.CHANGELOG_FILE_ARG, changeLog.location());
			update.addArgumentValue(UpdateCommandStep.CONTEXTS_ARG, changeLog.contexts().toString());
			update.addArgumentValue(UpdateCommandStep.LABEL_FILTER_ARG, changeLog.labels().getOriginalString());
			update.addArgumentValue(ChangeExecListenerCommandStep.CHANGE_EXEC_LISTENER_ARG, progress);
			update.addArgumentValue(DatabaseChangelogCommandStep.CHANGELOG_PARAMETERS, changeLog.parameters());
			update.addArgumentValue(ShowSummaryArgument.SHOW_SUMMARY, UpdateSummaryEnum.OFF);
			update.addArgumentValue(ShowSummaryArgument.SHOW_SUMMARY_OUTPUT, UpdateSummaryOutputEnum.LOG);
			update.execute();
			if (this.settings.tag() != null) {
				CommandScope tag = new CommandScope(TagCommandStep.COMMAND_NAME);
				tag.addArgumentValue(DbUrlConnectionArgumentsCommandStep.DATABASE_ARG, database);
				tag.addArgumentValue(TagCommandStep.TAG_ARG, this.settings.tag());
				tag.execute();
			}
			return null;
		});
	}

	/** A new deployment id, made as Liquibase makes it: the last ten digits of the current time in milliseconds. */
	private static String deploymentId() {
		String millis = String.valueOf(System.currentTimeMillis());
		return (millis.length() > 10) ? millis.substring(millis.length() - 10)
				: String.format("%010d", Long.parseLong(millis));
	}

	private void recordRun(Connection connection, RunResult run) {
		try {
			this.lastRuns.record(connection, run, holderName());
		}
		catch (SQLException ex) {
			logger.warn("Could not record the run in {} ({}); other instances will not see its outcome",
					LastRunStore.TABLE, ex.getMessage());
		}
	}

	/**
	 * Asks PostgreSQL (14 and later) to check every second, even in the middle of a long statement, that this
	 * process is still there, so that a killed run's statement and its locks end on their own.
	 */
	private static void detectDeadClient(Connection connection) {
		try (Statement statement = connection.createStatement()) {
			statement.execute("SET client_connection_check_interval = '1s'");
		}
		catch (SQLException ex) {
			// Older servers: the next run's holder ends the orphaned session instead.
		}
	}

	private MigrationException translate(Exception ex, ProgressLog progress, Database database) {
		if (ex instanceof MigrationException migrationException) {
			return migrationException;
		}
		if (progress != null && progress.failedChangeSet() != null) {
			ChangeSet failed = progress.failedChangeSet();
			boolean rolledBack = failed.isRunInTransaction() && database != null
					&& database.supportsDDLInTransaction();
			return new ChangeSetFailedException(StatusReader.ref(failed),
					DatabaseUnavailableException.rootMessage(progress.failure()), progress.applied(), rolledBack, ex);
		}
		String message = DatabaseUnavailableException.rootMessage(ex);
		if (message.contains("DATABASECHANGELOGLOCK")) {
			return new LockTimeoutException("Timed out waiting for the migration lock: " + message,
					"Wait for that Liquibase run to finish, or release its lock if it is gone.", null);
		}
		if (Thread.currentThread().isInterrupted() || message.contains("Interrupted while waiting")) {
			return new LockWaitInterruptedException();
		}
		return new MigrationException("Migration of " + this.sessions.displayUrl() + " failed: " + message,
				"Fix the cause named above and start again; changesets applied before the failure stay applied.",
				ex);
	}

	private String describeCurrent(Database database, Prepared prepared) {
		try {
			MigrationStatus after = this.reader.read(database, prepared.changeLog(), (connection) -> null).status();
			return "schema now at " + describePosition(after);
		}
		catch (RuntimeException ex) {
			return "status after the run could not be read: " + ex.getMessage();
		}
	}

	private void logUpToDate(MigrationStatus status) {
		String ahead = status.unexpected().isEmpty() ? ""
				: "; the database also has " + status.unexpected().size()
						+ " changeset(s) this changelog does not declare (state AHEAD)";
		logger.info("Schema is up to date at {}{}", describePosition(status), ahead);
	}

	private static String describePosition(MigrationStatus status) {
		AppliedChangeSet current = status.current();
		if (current == null) {
			return "an empty history";
		}
		return current.id() + "::" + current.author() + " (" + current.changeLog() + ")"
				+ ((status.currentTag() != null) ? ", tag " + status.currentTag() : "") + ", " + status.appliedCount()
				+ " changeset(s) applied";
	}

	private void requireNoDrift(MigrationStatus status, MigrationMode mode) {
		if (!status.checksumMismatches().isEmpty()) {
			throw new SchemaMismatchException(describeMismatch(status),
					"Changesets must not be edited after they ran: restore them and put the change in a new "
							+ "changeset. If the edit is intended and harmless, add <validCheckSum> with the new "
							+ "checksum to each changeset listed.",
					status);
		}
	}

	static String describeMismatch(MigrationStatus status) {
		StringBuilder text = new StringBuilder("The schema does not match the changelog (state ")
			.append(status.state())
			.append(").");
		appendList(text, "Pending (not applied yet)", status.pending().stream().map(PendingChangeSet::ref).toList());
		appendList(text, "Unexpected (applied, but not in this changelog)",
				status.unexpected().stream().map(AppliedChangeSet::ref).toList());
		if (!status.checksumMismatches().isEmpty()) {
			text.append("\nModified after they ran (checksum differs):");
			status.checksumMismatches()
				.forEach((mismatch) -> text.append("\n  - ")
					.append(mismatch.ref())
					.append(": stored ")
					.append(mismatch.storedChecksum())
					.append(", now ")
					.append(mismatch.currentChecksum()));
		}
		return text.toString();
	}

	private static void appendList(StringBuilder text, String title, List<ChangeSetRef> changeSets) {
		if (changeSets.isEmpty()) {
			return;
		}
		text.append('\n').append(title).append(": ").append(changeSets.size());
		int shown = Math.min(changeSets.size(), 20);
		text.append(changeSets.subList(0, shown)
			.stream()
			.map((ref) -> "\n  - " + ref)
			.collect(Collectors.joining()));
		if (shown < changeSets.size()) {
			text.append("\n  - ... and ").append(changeSets.size() - shown).append(" more");
		}
	}

	private RunResult ended(MigrationMode mode, Instant started, int applied, RunOutcome outcome, String error,
			Duration waited) {
		RunResult result = new RunResult(mode, started, Instant.now(), applied, outcome, error, waited);
		fireAndKeep((listener) -> listener.runEnded(result));
		return result;
	}

	private void fire(java.util.function.Consumer<MigrationRunListener> event) {
		fire(event, false);
	}

	private void fireAndKeep(java.util.function.Consumer<MigrationRunListener> event) {
		fire(event, true);
	}

	private void fire(java.util.function.Consumer<MigrationRunListener> event, boolean keep) {
		synchronized (this.pastEvents) {
			if (keep) {
				if (this.pastEvents.size() == 100) {
					this.pastEvents.removeFirst();
				}
				this.pastEvents.addLast(event);
			}
			for (MigrationRunListener listener : this.listeners) {
				try {
					event.accept(listener);
				}
				catch (RuntimeException ex) {
					logger.debug("Migration run listener failed", ex);
				}
			}
		}
	}

	private <T> T withStatusSession(StatusWork<T> work) {
		Connection connection = this.sessions.open(STATUS_CONNECTION_NAME);
		Database database = null;
		try {
			database = this.sessions.liquibaseDatabase(connection);
			return work.run(database, changeLog(database), lockFor(connection));
		}
		finally {
			closeQuietly(database, connection);
		}
	}

	private LoadedChangeLog changeLog(Database database) {
		LoadedChangeLog changeLog = this.parsed;
		if (changeLog == null) {
			changeLog = this.loader.load(database, this.settings);
			this.parsed = changeLog;
		}
		return changeLog;
	}

	private MigrationLock lockFor(Connection connection) {
		if (DatabaseSessions.isPostgres(connection)) {
			return new PostgresAdvisoryLock(this.sessions::open, this.lockKey, holderName());
		}
		return new LiquibaseRowLock(this.settings.historySchema());
	}

	private String holderName() {
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

	private static void closeQuietly(Database database, Connection connection) {
		if (database != null) {
			try {
				database.close();
			}
			catch (DatabaseException | RuntimeException ex) {
				// Closing the JDBC connection below is what matters.
			}
		}
		DatabaseSessions.closeQuietly(connection);
	}

	@FunctionalInterface
	private interface StatusWork<T> {

		T run(Database database, LoadedChangeLog changeLog, MigrationLock lock);

	}

	private record Prepared(LoadedChangeLog changeLog, MigrationLock lock, HistoryReport report) {
	}

}
