package dev.lockstep.core;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Consumer;
import java.util.function.Supplier;

import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import dev.lockstep.core.api.DatabaseInfo;
import dev.lockstep.core.api.DriftObject;
import dev.lockstep.core.api.DriftReport;
import dev.lockstep.core.api.DriftState;
import dev.lockstep.core.api.HistoryReport;
import dev.lockstep.core.api.MigrationMode;
import dev.lockstep.core.api.MigrationRunListener;
import dev.lockstep.core.api.MigrationStatus;
import dev.lockstep.core.api.PendingSql;
import dev.lockstep.core.api.RunOutcome;
import dev.lockstep.core.api.RunResult;
import dev.lockstep.core.api.SchemaState;
import dev.lockstep.core.problem.ApplyInProgressException;
import dev.lockstep.core.problem.MigrationException;

/**
 * One cached view of where the schema stands, shared by the endpoint, the health indicator and the metrics.
 * <p>
 * Reads are serialized and reused for the cache's time to live, so a storm of probes costs at most one status
 * read per period, never runs Liquibase code concurrently and never queues behind a read. The state accounts for what the database alone
 * cannot tell: a run in progress in this process ({@code MIGRATING}), a failed last run ({@code FAILED}) and a
 * status that could not be read afresh for too long ({@code UNAVAILABLE}, never a silently old answer).
 * <p>
 * It also keeps what is known about drift ({@link DriftStatus}): checks run when asked ({@link #checkDrift()},
 * {@link #freshDrift()}) and again on the first status read after a run of this instance. A check that cannot tell
 * (a run holds the lock, the catalog cannot be read) never replaces a conclusive report. Drift found, or a changed
 * list of drifted objects, is logged once as a warning; drift that clears, once as information.
 */
public final class MigrationMonitor implements MigrationRunListener {

	private static final Logger logger = LoggerFactory.getLogger("dev.lockstep.Migrations");

	/** How many drifted objects a log line names. */
	static final int LOGGED_DRIFT_OBJECTS = 5;

	/** The status is never older than this without saying so, whatever the time to live. */
	static final Duration MINIMUM_STALE_AFTER = Duration.ofSeconds(30);

	/** How long a caller with nothing to serve yet waits for a read in progress. */
	static final Duration FIRST_READ_WAIT = Duration.ofSeconds(5);

	private final MigrationEngine engine;

	private final MigrationMode mode;

	private final Duration timeToLive;

	private final Duration staleAfter;

	private final Clock clock;

	/** Serializes reads: Liquibase code must not run concurrently in one scope. */
	private final ReentrantLock readLock = new ReentrantLock();

	private volatile @Nullable Cached<StatusSnapshot> snapshot;

	private volatile @Nullable Cached<List<PendingSql>> pendingSql;

	private volatile boolean running;

	/** Set while {@link #apply()} runs: one requested apply at a time. */
	private final AtomicBoolean applying = new AtomicBoolean();
	/** When a status read last succeeded, or {@code null}. */
	private volatile @Nullable Instant lastGoodReadAt;

	/** When the read in progress started, or {@code null}. */
	private volatile @Nullable Instant readStartedAt;

	private volatile @Nullable RunResult lastApply;

	/** Serializes drift checks (they need no Liquibase, so they do not wait for status reads). */
	private final ReentrantLock driftLock = new ReentrantLock();

	/** What is known about drift, and when this monitor last checked (by its clock); {@code null} before. */
	private volatile @Nullable Cached<DriftStatus> drift;

	/** Set when a run of this instance ended after the last drift check: the schema was recorded anew. */
	private volatile boolean driftOutdated;

	private volatile String driftHint = "run migrations diff";

	public MigrationMonitor(MigrationEngine engine, MigrationMode mode, Duration timeToLive) {
		this(engine, mode, timeToLive, Clock.systemUTC());
	}

	MigrationMonitor(MigrationEngine engine, MigrationMode mode, Duration timeToLive, Clock clock) {
		this(engine, mode, timeToLive, staleAfter(timeToLive), clock);
	}

	MigrationMonitor(MigrationEngine engine, MigrationMode mode, Duration timeToLive, Duration staleAfter,
			Clock clock) {
		this.engine = engine;
		this.mode = mode;
		this.timeToLive = timeToLive;
		this.staleAfter = staleAfter;
		this.clock = clock;
	}

	/**
	 * How long without a successful read the status turns {@code UNAVAILABLE}: three times the time to live, at
	 * least {@link #MINIMUM_STALE_AFTER}, so that a few slow reads in a row do not flap it.
	 */
	public static Duration staleAfter(Duration timeToLive) {
		Duration threeReads = timeToLive.multipliedBy(3);
		return (threeReads.compareTo(MINIMUM_STALE_AFTER) > 0) ? threeReads : MINIMUM_STALE_AFTER;
	}

	public MigrationMode mode() {
		return this.mode;
	}

	/**
	 * The current snapshot, read at most once per time to live. While one caller reads a new one, the others get
	 * the expired one rather than queue behind the read; only when there is none yet do they wait, and then for
	 * {@link #FIRST_READ_WAIT} at most. When no read succeeded for {@link #staleAfter(Duration)} (a read hangs on
	 * a lost host, or every read fails), the snapshot says {@code UNAVAILABLE} with the age of the last good read.
	 */
	public StatusSnapshot snapshot() {
		StatusSnapshot snapshot = cached(() -> this.snapshot, (fresh) -> this.snapshot = fresh, this::read);
		if (snapshot == null) {
			Instant lastGood = this.lastGoodReadAt;
			MigrationStatus unknown = new MigrationStatus(SchemaState.UNAVAILABLE, unknownDatabase(), null, null, 0,
					List.of(), List.of(), List.of(), null, this.clock.instant());
			return new StatusSnapshot(unknown, List.of(), this.lastApply, this.mode, null, this.clock.instant())
				.unavailable(noFreshRead(), lastGood, age(lastGood))
				.withDrift(drift());
		}
		// Drift is checked on its own schedule: the latest known is shown with every snapshot.
		return unlessStale(snapshot).withDrift(drift());
	}

	/**
	 * The snapshot as last read, never reading (what {@link #snapshot()} would serve from its cache, even expired):
	 * for metrics that sum many monitors right after a summary read them; {@code null} before the first read.
	 */
	public @Nullable StatusSnapshot lastSnapshot() {
		Cached<StatusSnapshot> cached = this.snapshot;
		return (cached != null) ? unlessStale(cached.value()).withDrift(drift()) : null;
	}

	/** What is known about drift, without checking; {@code null} when nothing was checked yet. */
	public @Nullable DriftStatus drift() {
		Cached<DriftStatus> cached = this.drift;
		return (cached != null) ? cached.value() : null;
	}

	/**
	 * Checks drift now (at startup, on the background schedule), one check at a time, and keeps what it tells.
	 * Never throws: a check that fails is a report that says why.
	 */
	public DriftStatus checkDrift() {
		this.driftLock.lock();
		try {
			// Cleared before the check: a run that ends while it reads sets it again.
			this.driftOutdated = false;
			DriftReport report;
			try {
				report = this.engine.checkDrift();
			}
			catch (RuntimeException ex) {
				report = DriftReport.inconclusive(DriftState.UNAVAILABLE, this.clock.instant(), null,
						"Could not check drift: " + ex.getMessage());
			}
			return keep(report);
		}
		finally {
			this.driftLock.unlock();
		}
	}

	/**
	 * What is known about drift, checked afresh unless a check ran within the time to live (so a storm of requests
	 * costs at most one catalog read per period). While another caller checks, the previous result is served.
	 */
	public DriftStatus freshDrift() {
		Cached<DriftStatus> cached = this.drift;
		if (!this.driftOutdated && isFresh(cached)) {
			return cached.value();
		}
		if (cached != null) {
			if (!this.driftLock.tryLock()) {
				return cached.value();
			}
		}
		else if (!waitFor(this.driftLock)) {
			return new DriftStatus(DriftReport.inconclusive(DriftState.UNAVAILABLE, this.clock.instant(), null,
					"No drift check has finished yet; the one in progress has taken more than "
							+ FIRST_READ_WAIT.toSeconds() + " s"),
					null);
		}
		try {
			cached = this.drift;
			return (!this.driftOutdated && isFresh(cached)) ? cached.value() : checkDrift();
		}
		finally {
			this.driftLock.unlock();
		}
	}

	/**
	 * How the drift warning tells where to look, e.g. {@code see /actuator/migrations/drift or run migrations
	 * diff}.
	 */
	public void describeDriftWith(String hint) {
		this.driftHint = hint;
	}

	private DriftStatus keep(DriftReport report) {
		DriftStatus before = drift();
		DriftStatus now = DriftStatus.next(before, report);
		this.drift = new Cached<>(now, this.clock.instant());
		logChange((before != null) ? before.report() : null, now.report());
		return now;
	}

	private void logChange(@Nullable DriftReport before, DriftReport now) {
		boolean hadDrift = before != null && before.hasDrift();
		if (now.hasDrift()) {
			if (!hadDrift || !before.objects().equals(now.objects())) {
				logger.warn(describeDrift(now.objects()));
			}
		}
		else if (hadDrift && now.state() == DriftState.CLEAN) {
			logger.info("Schema drift cleared: the live schema is again what the migrations made");
		}
	}

	private String describeDrift(List<DriftObject> objects) {
		StringBuilder line = new StringBuilder("Schema drift: ").append(objects.size())
			.append(" object(s) differ from what the migrations made: ");
		int shown = Math.min(objects.size(), LOGGED_DRIFT_OBJECTS);
		for (int i = 0; i < shown; i++) {
			line.append((i > 0) ? "; " : "").append(objects.get(i).describe());
		}
		if (objects.size() > shown) {
			line.append("; and ").append(objects.size() - shown).append(" more");
		}
		return line.append(" — ").append(this.driftHint).toString();
	}

	/**
	 * The SQL of each pending changeset with its lint findings, read at most once per time to live, like
	 * {@link #snapshot()}.
	 */
	public List<PendingSql> pendingSql() {
		List<PendingSql> pending = cached(() -> this.pendingSql, (fresh) -> this.pendingSql = fresh,
				this.engine::lint);
		if (pending == null) {
			throw new MigrationException(noFreshRead(), "Check that the database is reachable and answers.");
		}
		return pending;
	}

	/**
	 * The cached value, or a new read; {@code null} when there is nothing to serve and the read in progress did not
	 * end within {@link #FIRST_READ_WAIT}.
	 */
	private <T> @Nullable T cached(Supplier<@Nullable Cached<T>> current, Consumer<Cached<T>> store, Supplier<T> reader) {
		Cached<T> cached = current.get();
		if (isFresh(cached)) {
			return cached.value();
		}
		if (cached != null) {
			if (!this.readLock.tryLock()) {
				// Someone is reading already (this or another view): serve the previous read meanwhile.
				return cached.value();
			}
		}
		else if (!waitForReadLock()) {
			return null;
		}
		try {
			cached = current.get();
			if (!isFresh(cached)) {
				this.readStartedAt = this.clock.instant();
				cached = new Cached<>(reader.get(), this.clock.instant());
				store.accept(cached);
			}
			return cached.value();
		}
		finally {
			this.readStartedAt = null;
			this.readLock.unlock();
		}
	}

	private boolean waitForReadLock() {
		return waitFor(this.readLock);
	}

	private static boolean waitFor(ReentrantLock lock) {
		try {
			return lock.tryLock(FIRST_READ_WAIT.toMillis(), TimeUnit.MILLISECONDS);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			return false;
		}
	}

	/**
	 * The snapshot as it may be shown now: a successful read older than {@link #staleAfter(Duration)} means no read
	 * succeeded since (one hangs), which is shown as {@code UNAVAILABLE}, never as the old state.
	 */
	private StatusSnapshot unlessStale(StatusSnapshot snapshot) {
		if (snapshot.error() == null) {
			Duration age = age(snapshot.checkedAt());
			if (age.compareTo(this.staleAfter) < 0) {
				return snapshot;
			}
			return snapshot.unavailable(noFreshRead(), snapshot.checkedAt(), age);
		}
		Instant lastGood = this.lastGoodReadAt;
		return snapshot.unavailable(snapshot.error(), lastGood, age(lastGood));
	}

	private String noFreshRead() {
		Instant lastGood = this.lastGoodReadAt;
		Instant started = this.readStartedAt;
		String since = (lastGood != null) ? "for " + age(lastGood).toSeconds() + " s" : "yet";
		String inProgress = (started != null)
				? "; the read in progress has waited " + age(started).toSeconds() + " s for the database" : "";
		return "No status read has succeeded " + since + inProgress + " (the status counts as unavailable after "
				+ this.staleAfter.toSeconds() + " s without one)";
	}

	private @Nullable Duration age(@Nullable Instant since) {
		if (since == null) {
			return null;
		}
		Duration age = Duration.between(since, this.clock.instant());
		return age.isNegative() ? Duration.ZERO : age;
	}

	private DatabaseInfo unknownDatabase() {
		return new DatabaseInfo(null, null, this.engine.displayUrl(), this.engine.settings().defaultSchema());
	}

	/** Forgets the cached reads, e.g. after a run. */
	public void invalidate() {
		this.snapshot = null;
		this.pendingSql = null;
	}

	/**
	 * Applies pending changesets now (the endpoint's write operation), then reads the status again. One at a time:
	 * while a run of this instance applies, another request is refused instead of waiting behind it.
	 * @throws ApplyInProgressException when a run of this instance is applying
	 */
	public RunResult apply() {
		if (this.running || !this.applying.compareAndSet(false, true)) {
			throw new ApplyInProgressException();
		}
		try {
			return this.engine.apply();
		}
		finally {
			this.applying.set(false);
		}
	}

	@Override
	public void runStarted(MigrationMode runMode) {
		if (runMode == MigrationMode.APPLY) {
			this.running = true;
			invalidate();
		}
	}

	@Override
	public void runEnded(RunResult result) {
		if (result.mode() == MigrationMode.APPLY) {
			this.running = false;
			this.lastApply = result;
			// The run recorded the schema it left: the next status read checks drift again.
			this.driftOutdated = isCheckingDrift();
			invalidate();
		}
	}

	/** Whether drift checks are in use here (one ran, and did not say they are switched off). */
	private boolean isCheckingDrift() {
		DriftStatus known = drift();
		return known != null && known.state() != DriftState.DISABLED;
	}

	private StatusSnapshot read() {
		// After a run of this instance; unless a check is under way already (it will tell), which the status read
		// must not queue behind.
		if (this.driftOutdated && this.driftLock.tryLock()) {
			try {
				checkDrift();
			}
			finally {
				this.driftLock.unlock();
			}
		}
		Instant now = this.clock.instant();
		HistoryReport report;
		try {
			report = this.engine.inspect();
		}
		catch (MigrationException ex) {
			MigrationStatus unavailable = new MigrationStatus(SchemaState.UNAVAILABLE, unknownDatabase(), null, null,
					0, List.of(), List.of(), List.of(), null, now);
			return new StatusSnapshot(unavailable, List.of(), this.lastApply, this.mode, ex.getMessage(), now);
		}
		this.lastGoodReadAt = now;
		RunResult lastRun = newest(this.lastApply, report.lastRecordedRun());
		MigrationStatus status = report.status();
		SchemaState state = status.state();
		boolean pending = state == SchemaState.PENDING;
		if (pending && (this.running || status.lockHolder() != null)) {
			state = SchemaState.MIGRATING;
		}
		else if (pending && lastRun != null && lastRun.outcome() == RunOutcome.FAILED) {
			state = SchemaState.FAILED;
		}
		return new StatusSnapshot(status.withState(state), report.history(), lastRun, this.mode, null, now, null, null,
				drift());
	}

	private static RunResult newest(RunResult local, RunResult recorded) {
		if (local == null) {
			return recorded;
		}
		if (recorded == null) {
			return local;
		}
		return recorded.finishedAt().isAfter(local.finishedAt()) ? recorded : local;
	}

	private <T> boolean isFresh(Cached<T> cached) {
		return cached != null
				&& Duration.between(cached.readAt(), this.clock.instant()).compareTo(this.timeToLive) < 0;
	}

	private record Cached<T>(T value, Instant readAt) {
	}

}
