package dev.lockstep.core.run;

import java.sql.Connection;
import java.sql.SQLException;
import java.time.Duration;
import java.util.function.Function;

import javax.sql.DataSource;

import liquibase.database.Database;
import liquibase.resource.ResourceAccessor;

import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import dev.lockstep.core.api.DdlSettings;
import dev.lockstep.core.api.DriftReport;
import dev.lockstep.core.api.HistoryReport;
import dev.lockstep.core.api.MigrationSettings;
import dev.lockstep.core.api.RunResult;
import dev.lockstep.core.changelog.LoadedChangeLog;
import dev.lockstep.core.changelog.ParameterMasker;
import dev.lockstep.core.changelog.SharedChangeLog;
import dev.lockstep.core.drift.CatalogReader;
import dev.lockstep.core.drift.SchemaDrift;
import dev.lockstep.core.fingerprint.RecordingResourceAccessor;
import dev.lockstep.core.jdbc.DatabaseSessions;
import dev.lockstep.core.jdbc.HistoryLocation;
import dev.lockstep.core.jdbc.ServerDataSources;
import dev.lockstep.core.lint.LintPolicy;
import dev.lockstep.core.lock.MigrationLock;
import dev.lockstep.core.problem.MigrationException;
import dev.lockstep.core.problem.Wording;
import dev.lockstep.core.status.LastRunStore;
import dev.lockstep.core.status.StatusReadLimit;
import dev.lockstep.core.status.StatusReader;

/**
 * What the operations and command verbs of one engine share: its settings and connections, the parsed changelog,
 * the status reader, the lock, the listeners, and how failures are told. One per engine.
 */
public final class RunContext {

	private static final Logger logger = LoggerFactory.getLogger("dev.lockstep.Migrations");

	/** The application name of connections that read the status (and of read-only command work). */
	public static final String STATUS_CONNECTION_NAME = "lockstep-status";

	private final MigrationSettings settings;

	private final DatabaseSessions sessions;

	/** Where the history lives as the database resolves it; the lock key and Lockstep's tables follow it. */
	private final HistoryLocation history;

	private final RecordingResourceAccessor recording;

	private final SharedChangeLog sharedChangeLog;

	private final LastRunStore lastRuns;

	private final InFlightChangeSets inFlight;

	private final StatusReader reader;

	private final RunEvents events = new RunEvents();

	private final LockedRun lockedRun;

	private final SchemaDrift drift;

	/** The changelog in a jar does not change while the application runs: parse it once. */
	private volatile @Nullable LoadedChangeLog parsed;

	private volatile boolean showParameterValues;

	private volatile DdlSettings ddl = DdlSettings.DEFAULT;

	private volatile Wording wording = Wording.NEUTRAL;

	private volatile LintPolicy lintPolicy = LintPolicy.DEFAULT;

	private volatile StatusReadLimit statusReadLimit = new StatusReadLimit(StatusReadLimit.DEFAULT);

	/** Connections to other databases on the server (the scratch database of {@code diff --against=changelog}). */
	private volatile ServerDataSources serverDataSources;

	public RunContext(DataSource dataSource, ResourceAccessor resources, MigrationSettings settings) {
		this(dataSource, new SharedChangeLog(resources), settings);
	}

	/**
	 * @param changeLog the changelog's resources and parse, possibly shared with engines of other schemas
	 */
	public RunContext(DataSource dataSource, SharedChangeLog changeLog, MigrationSettings settings) {
		this.settings = settings;
		this.sessions = new DatabaseSessions(dataSource, settings, AtomicChangeSetConnection::new);
		this.sharedChangeLog = changeLog;
		this.recording = changeLog.recording();
		this.history = new HistoryLocation(settings.historySchema());
		this.lastRuns = new LastRunStore(this.history);
		this.inFlight = new InFlightChangeSets(this.history);
		this.reader = new StatusReader(changeLog.loader(), this.lastRuns, this.history);
		this.drift = new SchemaDrift(settings.defaultSchema(), this.history);
		this.lockedRun = new LockedRun(this.sessions, this.history, this.events, this.drift);
		this.serverDataSources = ServerDataSources.derivedFrom(dataSource);
	}

	/** See {@code MigrationEngine#connectToOtherDatabasesWith}. */
	public ServerDataSources serverDataSources() {
		return this.serverDataSources;
	}

	public void connectToOtherDatabasesWith(ServerDataSources dataSources) {
		this.serverDataSources = dataSources;
	}

	/** Drift: the record runs make under the lock, and the check (see {@link SchemaDrift}). */
	public SchemaDrift drift() {
		return this.drift;
	}

	/** Compares the live schema with the record of what the migrations made, without taking the lock. */
	public DriftReport checkDrift() {
		Connection connection = openStatusConnection();
		try {
			return this.drift.check(connection, this.lockedRun.lockFor(connection), new CatalogReader.ConnectionSource() {

				@Override
				public Connection open() {
					return openStatusConnection();
				}

				@Override
				public void release(Connection other) {
					releaseStatusConnection(other);
					DatabaseSessions.closeQuietly(other);
				}

			});
		}
		finally {
			releaseStatusConnection(connection);
			DatabaseSessions.closeQuietly(connection);
		}
	}

	public MigrationSettings settings() {
		return this.settings;
	}

	public DatabaseSessions sessions() {
		return this.sessions;
	}

	public HistoryLocation history() {
		return this.history;
	}

	public RecordingResourceAccessor recording() {
		return this.recording;
	}

	public ResourceAccessor resources() {
		return this.sharedChangeLog.loader().resources();
	}

	public StatusReader reader() {
		return this.reader;
	}

	public LastRunStore lastRuns() {
		return this.lastRuns;
	}

	public InFlightChangeSets inFlight() {
		return this.inFlight;
	}

	public RunEvents events() {
		return this.events;
	}

	public LockedRun lockedRun() {
		return this.lockedRun;
	}

	/** The database URL without credentials, as far as it is known. */
	public String displayUrl() {
		return this.sessions.displayUrl();
	}

	/** The changelog as parsed by the last status read, or {@code null} before the first. */
	public @Nullable LoadedChangeLog parsedChangeLog() {
		LoadedChangeLog leased = this.sharedChangeLog.currentLease();
		return (leased != null) ? leased : this.parsed;
	}

	/**
	 * Runs an operation holding a parse of the changelog for its whole duration: engines sharing their changelog
	 * with other schemas never run one parse twice at a time (see {@link SharedChangeLog}).
	 */
	public <T> T withChangeLog(java.util.function.Supplier<T> operation) {
		return this.sharedChangeLog.withLease(operation);
	}

	/** See {@code MigrationEngine#showParameterValues}. */
	public void showParameterValues(boolean show) {
		this.showParameterValues = show;
	}

	/** Masks, in SQL to be shown, the parameter values substituted in the changelog so far (unless shown). */
	public ParameterMasker parameterMasker(LoadedChangeLog changeLog) {
		return ParameterMasker.of(changeLog, this.showParameterValues);
	}

	/** How changesets wait for locks (see {@code MigrationEngine#configureDdl}). */
	public DdlSettings ddl() {
		return this.ddl;
	}

	public void configureDdl(DdlSettings settings) {
		this.ddl = settings;
	}

	/** How log lines name settings and commands (see {@code MigrationEngine#phraseWith}). */
	public Wording wording() {
		return this.wording;
	}

	public void phraseWith(Wording wording) {
		this.wording = wording;
	}

	/** How pending changesets are linted (see {@code MigrationEngine#configureLint}). */
	public LintPolicy lintPolicy() {
		return this.lintPolicy;
	}

	public void configureLint(LintPolicy policy) {
		this.lintPolicy = policy;
	}

	/** See {@code MigrationEngine#limitStatusReads}. */
	public void limitStatusReads(Duration timeout) {
		this.statusReadLimit = new StatusReadLimit(timeout);
	}

	/**
	 * Reads where the schema stands and which lock protects it, before any lock is taken.
	 */
	public Prepared prepare() {
		return withStatusSession((database, changeLog, lock) -> new Prepared(changeLog, lock,
				this.reader.read(database, changeLog, (c) -> lock.holder(c).orElse(null))));
	}

	/** Runs status work on a connection of its own, its queries bounded by the status read limit. */
	public <T> T withStatusSession(StatusWork<T> work) {
		Connection connection = openStatusConnection();
		Database database = null;
		try {
			database = this.sessions.liquibaseDatabase(connection);
			return work.run(database, changeLog(database), this.lockedRun.lockFor(connection));
		}
		finally {
			releaseStatusConnection(connection);
			DatabaseSessions.closeQuietly(database, connection);
		}
	}

	public <T> T withStatusDatabase(Function<Database, T> work) {
		return withStatusSession((database, changeLog, lock) -> work.apply(database));
	}

	/** A connection for reading the status, its queries bounded by the status read limit. */
	public Connection openStatusConnection() {
		Connection connection = this.sessions.open(STATUS_CONNECTION_NAME);
		this.statusReadLimit.apply(connection);
		return connection;
	}

	/** Takes the status read limit off again (the connection may go back to a pool). */
	public void releaseStatusConnection(Connection connection) {
		this.statusReadLimit.release(connection);
	}

	private LoadedChangeLog changeLog(Database database) {
		LoadedChangeLog leased = this.sharedChangeLog.leased(database, this.settings);
		if (leased != null) {
			return leased;
		}
		LoadedChangeLog changeLog = this.parsed;
		if (changeLog == null) {
			changeLog = this.sharedChangeLog.parse(database, this.settings);
			this.parsed = changeLog;
		}
		return changeLog;
	}

	/** Runs read-only Liquibase work on a connection of its own, without the lock. */
	public <T> T withRunSession(SessionWork<T> work) {
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
			DatabaseSessions.closeQuietly(database, connection);
		}
	}

	/** Each changeset of the command commits together with its history row (see {@link AtomicChangeSets}). */
	public AtomicChangeSets atomicChangeSets(Database database, ProgressLog progress) {
		return AtomicChangeSets.around(database, progress, this.inFlight, this.lockedRun.holderName());
	}

	public void recordRun(Connection connection, RunResult run) {
		try {
			this.lastRuns.record(connection, run, this.lockedRun.holderName());
		}
		catch (SQLException ex) {
			logger.warn("Could not record the run in {} ({}); other instances will not see its outcome",
					LastRunStore.TABLE, ex.getMessage());
		}
	}

	/**
	 * The problem to report for a failure of Liquibase work: a lost lock, a failed changeset, an interrupted wait,
	 * or the failure itself (see {@link RunFailures}).
	 */
	public MigrationException translate(Exception ex, @Nullable ProgressLog progress, @Nullable Database database) {
		return RunFailures.translate(ex, progress, database, this.sessions.displayUrl());
	}

	@FunctionalInterface
	public interface StatusWork<T> {

		T run(Database database, LoadedChangeLog changeLog, MigrationLock lock);

	}

	@FunctionalInterface
	public interface SessionWork<T> {

		T run(Database database) throws Exception;

	}

}
