package dev.lockstep.core;

import java.io.IOException;
import java.net.InetAddress;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.BooleanSupplier;
import java.util.stream.Collectors;

import javax.sql.DataSource;

import liquibase.GlobalConfiguration;
import liquibase.change.CheckSum;
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
import liquibase.database.jvm.JdbcConnection;
import liquibase.exception.DatabaseException;
import liquibase.resource.ResourceAccessor;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import dev.lockstep.core.api.AppliedChangeSet;
import dev.lockstep.core.api.ChangeSetRef;
import dev.lockstep.core.api.DatabaseInfo;
import dev.lockstep.core.api.HistoryReport;
import dev.lockstep.core.api.MigrationMode;
import dev.lockstep.core.api.MigrationRunListener;
import dev.lockstep.core.api.MigrationSettings;
import dev.lockstep.core.api.MigrationStatus;
import dev.lockstep.core.api.PendingChangeSet;
import dev.lockstep.core.api.PendingSql;
import dev.lockstep.core.api.RunOutcome;
import dev.lockstep.core.api.RunResult;
import dev.lockstep.core.api.SchemaState;
import dev.lockstep.core.api.UpdateTarget;
import dev.lockstep.core.changelog.ChangeLogLoader;
import dev.lockstep.core.changelog.LiquibaseCommands;
import dev.lockstep.core.changelog.LiquibaseScope;
import dev.lockstep.core.changelog.LoadedChangeLog;
import dev.lockstep.core.changelog.ParameterMasker;
import dev.lockstep.core.changelog.PendingSqlGenerator;
import dev.lockstep.core.fingerprint.ChangeLogSources.Observation;
import dev.lockstep.core.fingerprint.ChangeLogSources;
import dev.lockstep.core.fingerprint.HistoryRows;
import dev.lockstep.core.fingerprint.RecordingResourceAccessor;
import dev.lockstep.core.fingerprint.VerifiedState;
import dev.lockstep.core.jdbc.DatabaseSessions;
import dev.lockstep.core.jdbc.HistoryLocation;
import dev.lockstep.core.jdbc.JdbcUrls;
import dev.lockstep.core.jdbc.SessionLoss;
import dev.lockstep.core.lock.ChangeLogLockRow;
import dev.lockstep.core.lock.LiquibaseRowLock;
import dev.lockstep.core.lock.LockHandle;
import dev.lockstep.core.lock.LockKey;
import dev.lockstep.core.lock.LockstepLockService;
import dev.lockstep.core.lock.MigrationLock;
import dev.lockstep.core.lock.PostgresAdvisoryLock;
import dev.lockstep.core.problem.ChangeSetFailedException;
import dev.lockstep.core.problem.DatabaseUnavailableException;
import dev.lockstep.core.problem.LockTimeoutException;
import dev.lockstep.core.problem.LockWaitInterruptedException;
import dev.lockstep.core.problem.MigrationException;
import dev.lockstep.core.problem.MigrationLockLostException;
import dev.lockstep.core.problem.SchemaMismatchException;
import dev.lockstep.core.run.AtomicChangeSetConnection;
import dev.lockstep.core.run.AtomicChangeSets;
import dev.lockstep.core.run.InFlightChangeSets;
import dev.lockstep.core.run.InterruptedChangeSets;
import dev.lockstep.core.run.ProgressLog;
import dev.lockstep.core.run.RunWatchdog;
import dev.lockstep.core.run.SchemaCollisions;
import dev.lockstep.core.status.DatabaseAhead;
import dev.lockstep.core.status.LastRunStore;
import dev.lockstep.core.status.StatusReadLimit;
import dev.lockstep.core.status.StatusReader;

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

	private static final String WATCHDOG_CONNECTION_NAME = "lockstep-watchdog";

	private static final String DRIFT_ACTION = "Changesets must not be edited after they ran: restore them and put "
			+ "the change in a new changeset. If the edit is intended and harmless, add <validCheckSum> with the new "
			+ "checksum to each changeset listed.";

	private final DatabaseSessions sessions;

	private final ChangeLogLoader loader;

	private final StatusReader reader;

	private final MigrationSettings settings;

	/** Where the history lives as the database resolves it; the lock key and Lockstep's tables follow it. */
	private final HistoryLocation history;

	private final LastRunStore lastRuns;

	private final InFlightChangeSets inFlight;

	private final RecordingResourceAccessor recording;

	private final VerifiedState verified;

	/** The changelog in a jar does not change while the application runs: parse it once. */
	private volatile LoadedChangeLog parsed;

	private final List<MigrationRunListener> listeners = new CopyOnWriteArrayList<>();

	/** Ended runs and lock waits, replayed to late listeners; bounded, oldest dropped first. */
	private final java.util.Deque<java.util.function.Consumer<MigrationRunListener>> pastEvents = new java.util.ArrayDeque<>();

	private volatile String holderName;

	private volatile BooleanSupplier cancelled = () -> false;

	private volatile boolean showParameterValues;

	private volatile StatusReadLimit statusReadLimit = new StatusReadLimit(StatusReadLimit.DEFAULT);

	/** Whether {@code validate} starts when the database merely has changesets applied after all it declares. */
	private volatile boolean allowAhead = true;

	public MigrationEngine(DataSource dataSource, ResourceAccessor resources, MigrationSettings settings) {
		this.settings = settings;
		this.sessions = new DatabaseSessions(dataSource, settings, AtomicChangeSetConnection::new);
		this.recording = new RecordingResourceAccessor(resources);
		this.history = new HistoryLocation(settings.historySchema());
		this.verified = new VerifiedState(this.history, describeForFingerprint(settings));
		this.loader = new ChangeLogLoader(this.recording);
		this.lastRuns = new LastRunStore(this.history);
		this.inFlight = new InFlightChangeSets(this.history);
		this.reader = new StatusReader(this.loader, this.lastRuns, this.history);
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

	/**
	 * Makes lock waits give up, changing nothing, as soon as the condition holds (e.g. the JVM is shutting down).
	 */
	public void cancelWaitsWhen(BooleanSupplier condition) {
		this.cancelled = condition;
	}

	/**
	 * Whether SQL shown for review (pending SQL, rollback SQL) keeps the values substituted for changelog parameters
	 * from outside the changelog. By default they are masked ({@link ParameterMasker}): they may be secrets.
	 */
	public void showParameterValues(boolean show) {
		this.showParameterValues = show;
	}

	/** Masks, in SQL to be shown, the parameter values substituted in the changelog so far (unless shown). */
	ParameterMasker parameterMasker(LoadedChangeLog changeLog) {
		return ParameterMasker.of(changeLog, this.showParameterValues);
	}

	/**
	 * Whether {@code validate} starts (with a warning) when the only difference is changesets applied after
	 * everything this changelog declares, as during a rollout or after an application rollback. Default true.
	 */
	public void allowAheadInValidate(boolean allowed) {
		this.allowAhead = allowed;
	}

	/**
	 * Bounds each query of a status read (statement timeout and network timeout), so that a read on a lost host
	 * or behind a lock fails instead of hanging. {@code 0} switches the bound off. Default 10 s.
	 */
	public void limitStatusReads(Duration timeout) {
		this.statusReadLimit = new StatusReadLimit(timeout);
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
		HistoryReport fast = verifiedReport();
		if (fast != null) {
			return fast;
		}
		return withStatusSession((database, changeLog, lock) -> {
			Connection connection = ((JdbcConnection) database.getConnection()).getUnderlyingConnection();
			HistoryReport report = this.reader.read(database, changeLog, lock::holder);
			rememberIfVerified(connection, report, false);
			return report;
		});
	}

	/**
	 * The fast path: when this changelog (all its files, hashed) was already verified against exactly this
	 * history, the schema is up to date, told from one query without parsing the changelog. Returns {@code null}
	 * when that cannot be proven.
	 */
	private HistoryReport verifiedReport() {
		Connection connection;
		try {
			connection = openStatusConnection();
		}
		catch (MigrationException ex) {
			return null;
		}
		try {
			// The history is read only when a verification of this very changelog exists.
			HistoryRows history = this.verified.matches(connection,
					() -> HistoryRows.read(connection, this.history), this.recording.delegate());
			if (history == null || history.rows().isEmpty()) {
				return null;
			}
			MigrationLock lock = lockFor(connection);
			List<AppliedChangeSet> rows = history.rows();
			String tag = null;
			for (int i = rows.size() - 1; i >= 0 && tag == null; i--) {
				tag = rows.get(i).tag();
			}
			java.sql.DatabaseMetaData metaData = connection.getMetaData();
			String schema = (this.settings.defaultSchema() != null) ? this.settings.defaultSchema()
					: connection.getSchema();
			DatabaseInfo database = new DatabaseInfo(metaData.getDatabaseProductName(),
					metaData.getDatabaseProductVersion(), JdbcUrls.redact(metaData.getURL()), schema);
			MigrationStatus status = new MigrationStatus(SchemaState.UP_TO_DATE, database,
					rows.get(rows.size() - 1), tag, rows.size(), List.of(), List.of(), List.of(),
					lock.holder(connection), Instant.now());
			logger.debug("Up to date by fingerprint: this changelog was verified against exactly this history");
			return new HistoryReport(status, rows, List.of(), this.lastRuns.read(connection));
		}
		catch (SQLException | RuntimeException ex) {
			logger.debug("Fingerprint check failed; running the full check", ex);
			return null;
		}
		finally {
			this.statusReadLimit.release(connection);
			DatabaseSessions.closeQuietly(connection);
		}
	}

	/**
	 * Stores a fingerprint of a full check that found the schema up to date, when the history did not change
	 * while it ran.
	 */
	private void rememberIfVerified(Connection connection, HistoryReport report, boolean mayCreateTable) {
		if (report.status().state() != SchemaState.UP_TO_DATE || !report.alwaysRun().isEmpty()
				|| report.history().isEmpty()) {
			return;
		}
		// Only when the history read now is the one the full check compared: nothing changed in between.
		HistoryRows now = HistoryRows.read(connection, this.history);
		if (now == null || !now.sameChangeSets(report.history())) {
			return;
		}
		// Vouch for the files as this engine read them (it keeps its parse), never for files edited since.
		Map<String, Observation> seen = this.recording.seen();
		if (seen == null) {
			return;
		}
		ChangeLogSources sources = this.recording.sources();
		String changeLogHash;
		try {
			changeLogHash = sources.hash(this.recording.delegate(), seen);
		}
		catch (IOException | RuntimeException ex) {
			return;
		}
		this.verified.remember(connection, now, sources, changeLogHash, mayCreateTable);
	}

	private static String describeForFingerprint(MigrationSettings settings) {
		return String.join("|", "lockstep-fingerprint-2", liquibase.util.LiquibaseUtil.getBuildVersion(),
				settings.changeLog(), String.valueOf(settings.contexts()), String.valueOf(settings.labelFilter()),
				String.valueOf(settings.defaultSchema()), String.valueOf(settings.liquibaseSchema()),
				new java.util.TreeMap<>(settings.parameters()).toString());
	}

	/**
	 * The SQL each pending changeset would run, generated without touching the database's schema or any lock.
	 */
	public List<PendingSql> pendingSql() {
		return withStatusSession((database, changeLog, lock) -> {
			HistoryReport report = this.reader.read(database, changeLog, (connection) -> null);
			try {
				List<PendingSql> pending = new PendingSqlGenerator(this.loader.resources()).generate(database,
						changeLog, report.status().pending());
				// After generating: an sqlFile substitutes its parameters only then.
				return pending.stream().map(parameterMasker(changeLog)::mask).toList();
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
		try {
			HistoryReport verifiedUpToDate = verifiedReport();
			if (verifiedUpToDate != null) {
				logUpToDate(verifiedUpToDate.status());
				return ended(MigrationMode.APPLY, started, 0, RunOutcome.SUCCESS, null, waited);
			}
			Prepared prepared = prepare();
			requireNoDrift(prepared.report().status(), MigrationMode.APPLY);
			if (!prepared.report().needsUpdate()) {
				rememberVerified(prepared.report());
				logUpToDate(prepared.report().status());
				return ended(MigrationMode.APPLY, started, 0, RunOutcome.SUCCESS, null, waited);
			}
			AppliedElsewhere doneElsewhere = appliedElsewhere(prepared.report());
			LockedResult<Integer> applied;
			try {
				applied = locked(prepared, (session) -> applyLocked(session, started, UpdateTarget.ALL),
						doneElsewhere);
			}
			finally {
				if (doneElsewhere != null) {
					doneElsewhere.close();
				}
			}
			waited = applied.waited();
			return ended(MigrationMode.APPLY, started, (applied.value() != null) ? applied.value() : 0,
					RunOutcome.SUCCESS, null, waited);
		}
		catch (MigrationException ex) {
			ended(MigrationMode.APPLY, started, 0, RunOutcome.FAILED, ex.getMessage(), waited);
			throw ex;
		}
	}

	private RunResult validate() {
		Instant started = Instant.now();
		fire((listener) -> listener.runStarted(MigrationMode.VALIDATE));
		try {
			HistoryReport report = inspect();
			MigrationStatus status = report.status();
			DatabaseAhead ahead = DatabaseAhead.of(report);
			if (ahead.allowsStart(status, this.allowAhead)) {
				logger.warn(ahead.warning());
			}
			else if (!status.isUpToDate()) {
				String why = ahead.refusal(this.allowAhead);
				throw new SchemaMismatchException(describeMismatch(status) + ((why != null) ? "\n" + why : ""),
						mismatchAction(status), status);
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

	private LockHandle acquire(MigrationLock lock, BooleanSupplier doneElsewhere) {
		try {
			if (this.cancelled.getAsBoolean()) {
				throw new LockWaitInterruptedException();
			}
			BooleanSupplier done = (doneElsewhere != null) ? doneElsewhere : () -> false;
			LockHandle handle = lock.acquire(this.settings.lockWaitTimeout(), (holder, waited) -> logger.info(
					"Waiting {} s for the migration lock held by {}", waited.toSeconds(),
					(holder != null) ? holder.describe() : "another instance"), () -> {
						if (this.cancelled.getAsBoolean()) {
							throw new LockWaitInterruptedException();
						}
						return done.getAsBoolean();
					});
			if (handle == null) {
				logger.info("Another instance applied the pending changesets while this one waited: nothing to do");
				return null;
			}
			if (handle.waited().toMillis() >= 50) {
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

	/**
	 * While waiting for the lock, whether the changesets this instance found pending have all been applied by the
	 * lock's holder, so this instance is up to date without taking the lock. Only for never-applied changesets:
	 * re-run ones (runAlways, runOnChange) need the lock. Applied with other content (the holder's changeset
	 * differs from this changelog's) is not done: this instance then takes the lock and its locked read refuses
	 * the checksum mismatch, as it would have without waiting.
	 */
	private AppliedElsewhere appliedElsewhere(HistoryReport report) {
		boolean onlyNew = report.alwaysRun().isEmpty() && report.status()
			.pending()
			.stream()
			.allMatch((pending) -> pending.reason().equals(StatusReader.NOT_APPLIED));
		if (!onlyNew) {
			return null;
		}
		java.util.Set<String> wanted = new java.util.HashSet<>();
		report.status()
			.pending()
			.forEach((pending) -> wanted.add(ChangeSetRef.key(pending.changeLog(), pending.id(), pending.author())));
		return new AppliedElsewhere(wanted, this.parsed);
	}

	/**
	 * Checks the history every 50 ms on one connection kept for the wait, so that a follower is released within a
	 * poll of the leader's last commit.
	 */
	private final class AppliedElsewhere implements BooleanSupplier, AutoCloseable {

		private final java.util.Set<String> wanted;

		/** The changelog the wanted changesets were found pending in. */
		private final LoadedChangeLog changeLog;

		private Connection connection;

		private long nextCheck = System.nanoTime();

		/** Applied, but with other checksums: this instance must take the lock and refuse. */
		private boolean appliedDifferently;

		AppliedElsewhere(java.util.Set<String> wanted, LoadedChangeLog changeLog) {
			this.wanted = wanted;
			this.changeLog = changeLog;
		}

		@Override
		public boolean getAsBoolean() {
			if (this.appliedDifferently) {
				return false;
			}
			long now = System.nanoTime();
			if (now - this.nextCheck < 0) {
				return false;
			}
			this.nextCheck = now + Duration.ofMillis(50).toNanos();
			try {
				if (this.connection == null) {
					this.connection = MigrationEngine.this.sessions.open(STATUS_CONNECTION_NAME);
					this.connection.setAutoCommit(true);
				}
				HistoryRows rows = HistoryRows.read(this.connection, MigrationEngine.this.history);
				if (rows == null) {
					return false;
				}
				java.util.Set<String> applied = new java.util.HashSet<>();
				rows.rows().forEach((row) -> applied.add(ChangeSetRef.key(row.changeLog(), row.id(), row.author())));
				if (!applied.containsAll(this.wanted)) {
					return false;
				}
				this.appliedDifferently = !sameChecksums(rows.rows());
				return !this.appliedDifferently;
			}
			catch (SQLException | MigrationException ex) {
				close();
				return false;
			}
		}

		/** Whether each wanted changeset was applied with the checksum this changelog gives it. */
		private boolean sameChecksums(List<AppliedChangeSet> rows) {
			if (this.changeLog == null) {
				return false;
			}
			Map<String, ChangeSet> declared = new java.util.HashMap<>();
			for (ChangeSet changeSet : this.changeLog.changeLog().getChangeSets()) {
				String key = ChangeSetRef.key(changeSet.getFilePath(), changeSet.getId(), changeSet.getAuthor());
				if (this.wanted.contains(key)) {
					declared.put(key, changeSet);
				}
			}
			try {
				return LiquibaseScope.call(MigrationEngine.this.loader.resources(), null, () -> {
					for (AppliedChangeSet row : rows) {
						ChangeSet changeSet = declared.get(ChangeSetRef.key(row.changeLog(), row.id(), row.author()));
						if (changeSet == null || row.checksum() == null) {
							continue;
						}
						CheckSum stored = CheckSum.parse(row.checksum());
						if (!this.changeLog.checksum(changeSet, stored.getVersion()).equals(stored)
								&& !changeSet.isCheckSumValid(stored)) {
							return false;
						}
					}
					return true;
				});
			}
			catch (Exception ex) {
				// Cannot tell: the locked read decides.
				return false;
			}
		}

		@Override
		public void close() {
			DatabaseSessions.closeQuietly(this.connection);
			this.connection = null;
		}

	}

	private void rememberVerified(HistoryReport report) {
		Connection connection;
		try {
			connection = this.sessions.open(STATUS_CONNECTION_NAME);
		}
		catch (MigrationException ex) {
			return;
		}
		try {
			rememberIfVerified(connection, report, false);
		}
		finally {
			DatabaseSessions.closeQuietly(connection);
		}
	}

	/**
	 * Reads where the schema stands and which lock protects it, before any lock is taken.
	 */
	Prepared prepare() {
		return withStatusSession((database, changeLog, lock) -> new Prepared(changeLog, lock,
				this.reader.read(database, changeLog, lock::holder)));
	}

	/**
	 * Runs work under the migration lock, on the session that holds it, one changing run per JVM at a time.
	 */
	<T> LockedResult<T> locked(Prepared prepared, LockedWork<T> work) {
		return locked(prepared, work, null);
	}

	/**
	 * Runs work under the migration lock, unless {@code doneElsewhere} (checked now and then while waiting) says
	 * another instance already did it: then the result's value is {@code null}.
	 */
	<T> LockedResult<T> locked(Prepared prepared, LockedWork<T> work, BooleanSupplier doneElsewhere) {
		if (!prepared.lock().isAdvisory()) {
			logger.info("{} has no advisory locks: Lockstep relies on Liquibase's DATABASECHANGELOGLOCK row, "
					+ "which a killed run leaves locked until released by hand", this.sessions.displayUrl());
		}
		LockHandle handle = acquire(prepared.lock(), doneElsewhere);
		if (handle == null) {
			return new LockedResult<>(null, Duration.ZERO);
		}
		RunWatchdog watchdog = null;
		try {
			LIQUIBASE_RUNS.lock();
			// The advisory lock's own session does the work: when it ends, the lock and the run end together.
			Connection connection = (handle.session() != null) ? handle.session() : this.sessions.open("lockstep-run");
			Database database = null;
			try {
				// Ends the run when its connection is lost, instead of waiting on a dead socket.
				watchdog = RunWatchdog.start(connection, () -> this.sessions.open(WATCHDOG_CONNECTION_NAME),
						handle::abandon);
				database = this.sessions.liquibaseDatabase(connection);
				T value = work.run(new LockedSession(database, connection, prepared, handle.waited()));
				return new LockedResult<>(value, handle.waited());
			}
			catch (MigrationException ex) {
				throw (watchdog != null) ? watchdog.explain(ex) : ex;
			}
			finally {
				if (prepared.lock().isAdvisory()) {
					releaseChangeLogLockRow(connection);
				}
				if (handle.session() != null) {
					// The handle unlocks before it closes the session (a pooled session would keep the lock).
					forget(database);
				}
				else {
					closeQuietly(database, connection);
				}
				LIQUIBASE_RUNS.unlock();
			}
		}
		finally {
			handle.close();
			if (watchdog != null) {
				watchdog.close();
			}
		}
	}

	/**
	 * Applies what is still pending (another instance may have applied it while this one waited) up to the
	 * target, and records the run for other instances to see.
	 */
	int applyLocked(LockedSession session, Instant started, UpdateTarget target) {
		Database database = session.database();
		HistoryReport report = historyUnchanged(session) ? session.prepared().report()
				: this.reader.read(database, session.prepared().changeLog(), session.prepared().lock()::holder);
		// Before "nothing to apply": what another instance applied meanwhile may differ from this changelog.
		requireNoDrift(report.status(), MigrationMode.APPLY);
		InterruptedChangeSets.warn(session.connection(), this.inFlight, report);
		if (!report.needsUpdate()) {
			logger.info("Nothing to apply: another instance applied the pending changesets while this one waited");
			logUpToDate(report.status());
			return 0;
		}
		SchemaCollisions.check(session.connection(), database, session.prepared().changeLog(), report);
		long start = System.nanoTime();
		ProgressLog progress = new ProgressLog(
				target.expectedCount(report, session.prepared().changeLog().changeLog()));
		try {
			update(database, session.prepared(), progress, target);
		}
		catch (Exception ex) {
			MigrationException failure = translate(ex, progress, database);
			recordRun(session.connection(), new RunResult(MigrationMode.APPLY, started, Instant.now(),
					progress.applied(), RunOutcome.FAILED, failure.getMessage(), session.waited()));
			throw failure;
		}
		int applied = progress.applied();
		recordRun(session.connection(), new RunResult(MigrationMode.APPLY, started, Instant.now(), applied,
				RunOutcome.SUCCESS, null, session.waited()));
		HistoryReport after = this.reader.read(database, session.prepared().changeLog(), (c) -> null);
		rememberIfVerified(session.connection(), after, true);
		String skipped = (progress.failedAndSkipped() > 0) ? " (" + progress.failedAndSkipped()
				+ " more failed with failOnError=false and stay pending)" : "";
		logger.info("Applied {} changeset(s){} in {} ms; schema now at {}", applied, skipped,
				Duration.ofNanos(System.nanoTime() - start).toMillis(), describePosition(after.status()));
		return applied;
	}

	/**
	 * Whether the history is still exactly the one the status before the lock was read from, so that status holds
	 * (one query instead of a second full read): no instance ran anything while this one took the lock.
	 */
	private boolean historyUnchanged(LockedSession session) {
		List<AppliedChangeSet> before = session.prepared().report().history();
		if (before.isEmpty()) {
			return !HistoryRows.tableExists(session.connection(), session.database());
		}
		HistoryRows now = HistoryRows.read(session.connection(), this.history);
		return now != null && now.sameChangeSets(before);
	}

	/** Runs read-only Liquibase work on a connection of its own, without the lock. */
	<T> T withRunSession(Prepared prepared, SessionWork<T> work) {
		Connection connection = this.sessions.open(STATUS_CONNECTION_NAME);
		Database database = null;
		try {
			database = this.sessions.liquibaseDatabase(connection);
			return work.run(database);
		}
		catch (MigrationException ex) {
			throw ex;
		}
		catch (Exception ex) {
			throw translate(ex, null, database);
		}
		finally {
			closeQuietly(database, connection);
		}
	}

	<T> T withStatusDatabase(java.util.function.Function<Database, T> work) {
		return withStatusSession((database, changeLog, lock) -> work.apply(database));
	}

	/** Scope values for Liquibase commands run under the given lock. */
	Map<String, Object> liquibaseScope(MigrationLock lock) {
		Map<String, Object> scope = new java.util.HashMap<>(lock.isAdvisory()
				? LockstepLockService.scope(holderName(), this.settings.lockWaitTimeout())
				: Map.of(GlobalConfiguration.CHANGELOGLOCK_WAIT_TIME.getKey(),
						Math.max(1L, (this.settings.lockWaitTimeout().toSeconds() + 59) / 60),
						GlobalConfiguration.CHANGELOGLOCK_POLL_RATE.getKey(), 1L));
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

	ResourceAccessor resources() {
		return this.loader.resources();
	}

	StatusReader reader() {
		return this.reader;
	}

	private void update(Database database, Prepared prepared, ProgressLog progress, UpdateTarget target)
			throws Exception {
		LoadedChangeLog changeLog = prepared.changeLog();
		LiquibaseScope.call(this.loader.resources(), database, liquibaseScope(prepared.lock()), () -> {
			CommandScope update = LiquibaseCommands.create(target.commandName(), database, changeLog);
			target.addArguments(update);
			update.addArgumentValue(ShowSummaryArgument.SHOW_SUMMARY, UpdateSummaryEnum.OFF);
			update.addArgumentValue(ShowSummaryArgument.SHOW_SUMMARY_OUTPUT, UpdateSummaryOutputEnum.LOG);
			try (AtomicChangeSets atomic = atomicChangeSets(database, progress)) {
				update.addArgumentValue(ChangeExecListenerCommandStep.CHANGE_EXEC_LISTENER_ARG, atomic);
				update.execute();
				atomic.completed();
			}
			if (this.settings.tag() != null && target.isAll()) {
				CommandScope tag = new CommandScope(TagCommandStep.COMMAND_NAME);
				tag.addArgumentValue(DbUrlConnectionArgumentsCommandStep.DATABASE_ARG, database);
				tag.addArgumentValue(TagCommandStep.TAG_ARG, this.settings.tag());
				tag.execute();
			}
			return null;
		});
	}

	/** Each changeset of the command commits together with its history row (see {@link AtomicChangeSets}). */
	AtomicChangeSets atomicChangeSets(Database database, ProgressLog progress) {
		return AtomicChangeSets.around(database, progress, this.inFlight, holderName());
	}

	InFlightChangeSets inFlight() {
		return this.inFlight;
	}

	void recordRun(Connection connection, RunResult run) {
		try {
			this.lastRuns.record(connection, run, holderName());
		}
		catch (SQLException ex) {
			logger.warn("Could not record the run in {} ({}); other instances will not see its outcome",
					LastRunStore.TABLE, ex.getMessage());
		}
	}

	/**
	 * Makes sure Liquibase's row is not left locked by this run. Liquibase releases it when its update command ends,
	 * but its lock command step keeps per-JVM state: another Liquibase command run in this JVM meanwhile (a second
	 * Liquibase bean, a command of Lockstep's own) makes it skip the release.
	 */
	private void releaseChangeLogLockRow(Connection connection) {
		if (ChangeLogLockRow.releaseIfHeldByLockstep(connection,
				this.history.table(connection, "DATABASECHANGELOGLOCK"))) {
			logger.debug("Released Liquibase's DATABASECHANGELOGLOCK row, which Liquibase left locked after the run");
		}
	}

	MigrationException translate(Exception ex, ProgressLog progress, Database database) {
		if (ex instanceof MigrationException migrationException) {
			return migrationException;
		}
		MigrationException lockLost = lockLost(ex, progress, database);
		if (lockLost != null) {
			return lockLost;
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

	/**
	 * A locked run (one with progress) on PostgreSQL whose session ended: the advisory lock ended with it, and so
	 * did the run.
	 */
	private static MigrationException lockLost(Exception ex, ProgressLog progress, Database database) {
		if (progress == null || !(database instanceof liquibase.database.core.PostgresDatabase)) {
			return null;
		}
		Connection connection = (database.getConnection() instanceof JdbcConnection jdbc)
				? jdbc.getUnderlyingConnection() : null;
		Throwable ended = SessionLoss.find(ex, connection);
		if (ended == null) {
			return null;
		}
		ChangeSet running = (progress.failedChangeSet() != null) ? progress.failedChangeSet() : progress.running();
		boolean rolledBack = running == null || running.isRunInTransaction();
		return new MigrationLockLostException((running != null) ? StatusReader.ref(running) : null, rolledBack,
				progress.applied(), SessionLoss.describe(ended), ex);
	}

	void logUpToDate(MigrationStatus status) {
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

	void requireNoDrift(MigrationStatus status, MigrationMode mode) {
		if (!status.checksumMismatches().isEmpty()) {
			throw new SchemaMismatchException(describeMismatch(status), DRIFT_ACTION, status);
		}
	}

	/**
	 * What to do about each kind of mismatch found: applying does not help against edited changesets (apply refuses
	 * them too) nor against changesets only a newer version declares.
	 */
	static String mismatchAction(MigrationStatus status) {
		List<String> actions = new ArrayList<>();
		if (!status.pending().isEmpty()) {
			actions.add("Apply the changelog before this version starts: run 'java -jar app.jar migrations update' "
					+ "(or start one instance with migrations.mode=apply).");
		}
		if (!status.unexpected().isEmpty()) {
			actions.add("For changesets the database has but this changelog lacks, deploy the version that declares "
					+ "them, or roll them back with it ('java -jar app.jar migrations rollback').");
		}
		if (!status.checksumMismatches().isEmpty()) {
			actions.add(DRIFT_ACTION);
		}
		return String.join(" ", actions);
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

	RunResult ended(MigrationMode mode, Instant started, int applied, RunOutcome outcome, String error,
			Duration waited) {
		RunResult result = new RunResult(mode, started, Instant.now(), applied, outcome, error, waited);
		fireAndKeep((listener) -> listener.runEnded(result));
		return result;
	}

	void fire(java.util.function.Consumer<MigrationRunListener> event) {
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
		Connection connection = openStatusConnection();
		Database database = null;
		try {
			database = this.sessions.liquibaseDatabase(connection);
			return work.run(database, changeLog(database), lockFor(connection));
		}
		finally {
			this.statusReadLimit.release(connection);
			closeQuietly(database, connection);
		}
	}

	/** A connection for reading the status, its queries bounded by the status read limit. */
	private Connection openStatusConnection() {
		Connection connection = this.sessions.open(STATUS_CONNECTION_NAME);
		this.statusReadLimit.apply(connection);
		return connection;
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
			try {
				return new PostgresAdvisoryLock(this.sessions::open, lockKey(this.history.resolve(connection)),
						holderName());
			}
			catch (SQLException ex) {
				throw new DatabaseUnavailableException(this.sessions.displayUrl(), ex);
			}
		}
		return new LiquibaseRowLock(this.history);
	}

	private static LockKey lockKey(HistoryLocation.Resolved history) {
		return LockKey.forSchema((history.schema() != null) ? history.schema() : "");
	}

	String holderName() {
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
	private static void forget(Database database) {
		if (database != null) {
			liquibase.Scope.getCurrentScope()
				.getSingleton(liquibase.executor.ExecutorService.class)
				.clearExecutor("jdbc", database);
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

	record Prepared(LoadedChangeLog changeLog, MigrationLock lock, HistoryReport report) {
	}

	record LockedSession(Database database, Connection connection, Prepared prepared, Duration waited) {
	}

	record LockedResult<T>(T value, Duration waited) {
	}

	@FunctionalInterface
	interface SessionWork<T> {

		T run(Database database) throws Exception;

	}

	@FunctionalInterface
	interface LockedWork<T> {

		T run(LockedSession session);

	}

}
