package dev.lockstep.core;

import java.time.Duration;
import java.util.List;
import java.util.function.BooleanSupplier;

import javax.sql.DataSource;

import liquibase.resource.ResourceAccessor;

import dev.lockstep.core.api.DdlSettings;
import dev.lockstep.core.api.DriftReport;
import dev.lockstep.core.api.HistoryReport;
import dev.lockstep.core.api.LintFailOn;
import dev.lockstep.core.api.MigrationMode;
import dev.lockstep.core.api.MigrationRunListener;
import dev.lockstep.core.api.MigrationSettings;
import dev.lockstep.core.api.MigrationStatus;
import dev.lockstep.core.api.PendingSql;
import dev.lockstep.core.api.RunResult;
import dev.lockstep.core.changelog.ParameterMasker;
import dev.lockstep.core.changelog.SharedChangeLog;
import dev.lockstep.core.jdbc.ServerDataSources;
import dev.lockstep.core.lint.LintPolicy;
import dev.lockstep.core.problem.MigrationException;
import dev.lockstep.core.problem.Wording;
import dev.lockstep.core.run.ApplyOperation;
import dev.lockstep.core.run.FastPath;
import dev.lockstep.core.run.InspectOperation;
import dev.lockstep.core.run.LintOperation;
import dev.lockstep.core.run.PendingSqlOperation;
import dev.lockstep.core.run.ReportOperation;
import dev.lockstep.core.run.RunContext;
import dev.lockstep.core.run.ValidateOperation;

/**
 * Lockstep's Spring-free core: reads where the schema stands and applies the changelog under the lock.
 * <p>
 * An up-to-date database is recognised without taking any lock. Otherwise the run waits for the lock (on
 * PostgreSQL a session advisory lock, elsewhere Liquibase's own row), reads the history again (another instance
 * may have done the work meanwhile) and applies what is still pending, all on connections of its own.
 * <p>
 * A facade: each operation is a class of its own in {@code dev.lockstep.core.run}, sharing one {@link RunContext}.
 */
public final class MigrationEngine {

	private final RunContext context;

	private final InspectOperation inspect;

	private final ApplyOperation apply;

	private final ValidateOperation validate;

	private final ReportOperation report;

	private final PendingSqlOperation pendingSql;

	private final LintOperation lint;

	public MigrationEngine(DataSource dataSource, ResourceAccessor resources, MigrationSettings settings) {
		this(new RunContext(dataSource, resources, settings));
	}

	/**
	 * An engine whose changelog is parsed once and shared with other engines (the tenants of one target, each on
	 * its own schema).
	 */
	public MigrationEngine(DataSource dataSource, SharedChangeLog changeLog, MigrationSettings settings) {
		this(new RunContext(dataSource, changeLog, settings));
	}

	private MigrationEngine(RunContext context) {
		this.context = context;
		FastPath fastPath = new FastPath(this.context);
		this.inspect = new InspectOperation(this.context, fastPath);
		this.apply = new ApplyOperation(this.context, fastPath);
		this.validate = new ValidateOperation(this.context, this::inspect);
		this.report = new ReportOperation(this.context.events(), this::status);
		this.pendingSql = new PendingSqlOperation(this.context);
		this.lint = new LintOperation(this.context, this.pendingSql);
	}

	public MigrationSettings settings() {
		return this.context.settings();
	}

	/**
	 * Adds a listener. Runs that already ended (the startup run, for a listener created later, such as metrics) are
	 * replayed to it first.
	 */
	public void addListener(MigrationRunListener listener) {
		this.context.events().addListener(listener);
	}

	/**
	 * Makes lock waits give up, changing nothing, as soon as the condition holds (e.g. the JVM is shutting down).
	 */
	public void cancelWaitsWhen(BooleanSupplier condition) {
		this.context.lockedRun().cancelWaitsWhen(condition);
	}

	/**
	 * Whether SQL shown for review (pending SQL, rollback SQL) keeps the values substituted for changelog parameters
	 * from outside the changelog. By default they are masked ({@link ParameterMasker}): they may be secrets.
	 */
	public void showParameterValues(boolean show) {
		this.context.showParameterValues(show);
	}

	/**
	 * Whether {@code validate} starts (with a warning) when the only difference is changesets applied after
	 * everything this changelog declares, as during a rollout or after an application rollback. Default true.
	 */
	public void allowAheadInValidate(boolean allowed) {
		this.validate.allowAhead(allowed);
	}

	/**
	 * Bounds each query of a status read (statement timeout and network timeout), so that a read on a lost host
	 * or behind a lock fails instead of hanging. {@code 0} switches the bound off. Default 10 s.
	 */
	public void limitStatusReads(Duration timeout) {
		this.context.limitStatusReads(timeout);
	}

	/**
	 * How the log lines of runs name settings and commands, e.g. as Spring Boot properties. Problems are phrased
	 * by whoever shows them ({@link MigrationException#message(Wording)}). Default {@link Wording#NEUTRAL}.
	 */
	public void phraseWith(Wording wording) {
		this.context.phraseWith(wording);
	}

	/**
	 * Whether runs record the schema they leave behind and drift checks compare the live schema with that record
	 * (default on), and which objects the checks leave out (patterns {@code kind:name}, e.g. {@code index:*_tmp};
	 * see {@link dev.lockstep.core.drift.DriftIgnore}).
	 * @throws MigrationException when a pattern is not valid
	 */
	public void configureDrift(boolean enabled, List<String> ignore) {
		this.context.drift().configure(enabled, ignore);
	}

	/**
	 * How changesets wait for locks: each statement of a changeset waits at most the lock timeout (PostgreSQL's
	 * {@code lock_timeout}), so that the application's queries never queue behind DDL that waits; a changeset that
	 * timed out is rolled back and tried again with backoff, up to the given retries, then the run fails naming the
	 * session that held the lock. Default {@link DdlSettings#DEFAULT} (3 s, 20 retries); a zero timeout switches it
	 * off.
	 */
	public void configureDdl(DdlSettings settings) {
		this.context.configureDdl(settings);
	}

	/**
	 * How pending changesets are linted: from how many estimated rows a table is large (its findings are errors;
	 * default 100,000) and which findings make an apply refuse to run, before it changes anything (default never:
	 * the findings are only logged).
	 */
	public void configureLint(long largeTableRows, LintFailOn failOn) {
		this.context.configureLint(new LintPolicy(largeTableRows, failOn));
	}

	/**
	 * Compares the live schema with what the migrations made (recorded after every run that changed it), without
	 * taking the lock; while a run holds it, the report says so instead of comparing.
	 */
	public DriftReport checkDrift() {
		return this.context.checkDrift();
	}

	/**
	 * How to connect to another database on the migration database's server, with the same credentials: {@code
	 * migrations diff --against=changelog} builds the expected schema in a scratch database it creates and drops.
	 * By default derived from the DataSource's URL, user and password where it exposes them
	 * ({@link ServerDataSources#derivedFrom}).
	 */
	public void connectToOtherDatabasesWith(ServerDataSources dataSources) {
		this.context.connectToOtherDatabasesWith(dataSources);
	}

	/** The database URL without credentials, as far as it is known. */
	public String displayUrl() {
		return this.context.displayUrl();
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
		return this.context.withChangeLog(this.inspect::inspect);
	}

	/**
	 * The SQL each pending changeset would run, generated without touching the database's schema or any lock.
	 */
	public List<PendingSql> pendingSql() {
		return this.context.withChangeLog(this.pendingSql::pendingSql);
	}

	/**
	 * The SQL each pending changeset would run with what the lint finds in it, graded by the live tables it
	 * touches; changes nothing and takes no lock.
	 */
	public List<PendingSql> lint() {
		return this.context.withChangeLog(this.lint::lint);
	}

	/**
	 * Does what a startup in the given mode does: apply pending changesets, or check that there are none.
	 * @throws MigrationException when the mode refuses to start or the run fails
	 */
	public RunResult run(MigrationMode mode) {
		return this.context.withChangeLog(() -> switch (mode) {
			case APPLY -> apply();
			case VALIDATE -> this.validate.validate();
			case REPORT -> this.report.report();
		});
	}

	/**
	 * Applies every pending changeset under the lock, then tags the database if a tag is configured.
	 */
	public RunResult apply() {
		return this.context.withChangeLog(this.apply::apply);
	}

	/** What the command verbs share with the startup operations (see {@link MigrationCommands}). */
	RunContext context() {
		return this.context;
	}

	ApplyOperation applyOperation() {
		return this.apply;
	}

}
