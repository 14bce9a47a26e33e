package dev.lockstep.core;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Consumer;
import java.util.function.Supplier;

/**
 * One cached view of where the schema stands, shared by the endpoint, the health indicator and the metrics.
 * <p>
 * Reads are serialized and reused for the cache's time to live, so a storm of probes costs at most one status
 * read per period, never runs Liquibase code concurrently and never queues behind a read. The state accounts for what the database alone
 * cannot tell: a run in progress in this process ({@code MIGRATING}) and a failed last run ({@code FAILED}).
 */
public final class MigrationMonitor implements MigrationRunListener {

	private final MigrationEngine engine;

	private final MigrationMode mode;

	private final Duration timeToLive;

	private final Clock clock;

	/** Serializes reads: Liquibase code must not run concurrently in one scope. */
	private final ReentrantLock readLock = new ReentrantLock();

	private volatile Cached<StatusSnapshot> snapshot;

	private volatile Cached<List<PendingSql>> pendingSql;

	private volatile boolean running;

	/** Set while {@link #apply()} runs: one requested apply at a time. */
	private final AtomicBoolean applying = new AtomicBoolean();

	private volatile RunResult lastApply;

	public MigrationMonitor(MigrationEngine engine, MigrationMode mode, Duration timeToLive) {
		this(engine, mode, timeToLive, Clock.systemUTC());
	}

	MigrationMonitor(MigrationEngine engine, MigrationMode mode, Duration timeToLive, Clock clock) {
		this.engine = engine;
		this.mode = mode;
		this.timeToLive = timeToLive;
		this.clock = clock;
	}

	public MigrationMode mode() {
		return this.mode;
	}

	/**
	 * The current snapshot, read at most once per time to live. While one caller reads a new one, the others get
	 * the expired one rather than queue behind the read; only when there is none yet do they wait.
	 */
	public StatusSnapshot snapshot() {
		return cached(() -> this.snapshot, (fresh) -> this.snapshot = fresh, this::read);
	}

	/** The SQL of each pending changeset, read at most once per time to live, like {@link #snapshot()}. */
	public List<PendingSql> pendingSql() {
		return cached(() -> this.pendingSql, (fresh) -> this.pendingSql = fresh, this.engine::pendingSql);
	}

	private <T> T cached(Supplier<Cached<T>> current, Consumer<Cached<T>> store, Supplier<T> reader) {
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
		else {
			this.readLock.lock();
		}
		try {
			cached = current.get();
			if (!isFresh(cached)) {
				cached = new Cached<>(reader.get(), this.clock.instant());
				store.accept(cached);
			}
			return cached.value();
		}
		finally {
			this.readLock.unlock();
		}
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
			invalidate();
		}
	}

	private StatusSnapshot read() {
		Instant now = this.clock.instant();
		HistoryReport report;
		try {
			report = this.engine.inspect();
		}
		catch (MigrationException ex) {
			MigrationStatus unavailable = new MigrationStatus(SchemaState.UNAVAILABLE,
					new DatabaseInfo(null, null, this.engine.displayUrl(), this.engine.settings().defaultSchema()),
					null, null, 0, List.of(), List.of(), List.of(), null, now);
			return new StatusSnapshot(unavailable, List.of(), this.lastApply, this.mode, ex.getMessage(), now);
		}
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
		return new StatusSnapshot(status.withState(state), report.history(), lastRun, this.mode, null, now);
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
