package dev.lockstep.core.targets;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.atomic.AtomicInteger;

import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import dev.lockstep.core.api.MigrationMode;
import dev.lockstep.core.api.MigrationRunListener;
import dev.lockstep.core.api.RunResult;
import dev.lockstep.core.api.SchemaState;
import dev.lockstep.core.problem.MigrationException;
import dev.lockstep.core.problem.TenantsFailedException;
import dev.lockstep.core.problem.UnknownTargetException;
import dev.lockstep.core.problem.Wording;

/**
 * The tenants of one target: listed from its {@link TenantSource}, each with an engine of its own, run
 * {@code parallelism} at a time. A failing tenant is recorded and the others go on; with
 * {@link TenantFailureMode#FAIL} the run fails once all were tried, naming the failed ones.
 * <p>
 * Instances that start together each visit the tenants in an order of their own (shuffled), so that they spread
 * over the fleet instead of queueing on one tenant's lock; each tenant is still applied exactly once, under its
 * lock.
 */
public final class TenantFleet {

	private static final Logger logger = LoggerFactory.getLogger("dev.lockstep.Migrations");

	private final String target;

	private final TenantSource source;

	private final TenantEngines engines;

	private final TenantFailureMode onFailure;

	private final int parallelism;

	private final Object listing = new Object();

	/** The tenants as last listed, in the source's order. */
	private volatile Map<String, MigrationTenant> tenants = Map.of();

	private volatile Wording wording = Wording.NEUTRAL;

	private final Duration summaryTimeToLive;

	private volatile @Nullable Cached summary;

	public TenantFleet(TenantSource source, TenantEngines engines, TenantFailureMode onFailure, int parallelism,
			Duration summaryTimeToLive) {
		this.target = engines.target();
		this.source = source;
		this.engines = engines;
		this.onFailure = onFailure;
		this.parallelism = Math.max(1, parallelism);
		this.summaryTimeToLive = summaryTimeToLive;
	}

	public String target() {
		return this.target;
	}

	public TenantFailureMode onFailure() {
		return this.onFailure;
	}

	public int parallelism() {
		return this.parallelism;
	}

	/** How failures are phrased in the log lines of runs. */
	public void phraseWith(Wording wording) {
		this.wording = wording;
	}

	/**
	 * Adds a listener to every tenant's engine, those known now and those listed later (metrics count the runs of
	 * all tenants of the target together).
	 */
	public void addListener(MigrationRunListener listener) {
		synchronized (this.listing) {
			this.engines.addListener(listener);
			this.tenants.values().forEach((tenant) -> tenant.engine().addListener(listener));
		}
	}

	/** The tenants as last listed (listing them first if that never happened). */
	public List<MigrationTenant> tenants() {
		if (this.tenants.isEmpty()) {
			refresh();
		}
		return List.copyOf(this.tenants.values());
	}

	/**
	 * Lists the tenants again: new ones get an engine, known ones keep theirs (and their cached status), tenants
	 * no longer listed are dropped.
	 * @throws MigrationException when the source cannot list them
	 */
	public List<MigrationTenant> refresh() {
		List<Tenant> listed;
		try {
			listed = this.source.tenants();
		}
		catch (MigrationException ex) {
			throw ex;
		}
		catch (RuntimeException ex) {
			throw new MigrationException("The tenants of target " + this.target + " cannot be listed: " + ex.getMessage(),
					"Fix the target's tenant source (tenants.query, tenants.schemas or its TenantSource bean).", ex);
		}
		synchronized (this.listing) {
			Map<String, MigrationTenant> known = this.tenants;
			Map<String, MigrationTenant> now = new LinkedHashMap<>();
			for (Tenant tenant : listed) {
				MigrationTenant existing = known.get(tenant.id());
				if (existing != null && existing.tenant().equals(tenant)) {
					now.put(tenant.id(), existing);
				}
				else if (now.putIfAbsent(tenant.id(), this.engines.create(tenant)) != null) {
					throw new MigrationException("The tenant source of target " + this.target + " lists tenant "
							+ tenant.id() + " twice.", "List each tenant once (schemas and database names are the ids).");
				}
			}
			this.tenants = Collections.unmodifiableMap(now);
			this.summary = null;
			return List.copyOf(now.values());
		}
	}

	/**
	 * The tenant with this id; when it is not known, the tenants are listed again first (it may have been created
	 * since).
	 * @throws UnknownTargetException when the source does not list it
	 */
	public MigrationTenant tenant(String id) {
		MigrationTenant tenant = this.tenants.get(id);
		if (tenant == null) {
			refresh();
			tenant = this.tenants.get(id);
		}
		if (tenant == null) {
			throw UnknownTargetException.tenant(this.target, id, this.tenants.keySet());
		}
		return tenant;
	}

	/**
	 * Adds a tenant the source does not list (yet), e.g. one the application created a moment ago, keeping it
	 * until the next listing that does not name it.
	 */
	public MigrationTenant add(Tenant tenant) {
		synchronized (this.listing) {
			MigrationTenant existing = this.tenants.get(tenant.id());
			if (existing != null && existing.tenant().equals(tenant)) {
				return existing;
			}
			MigrationTenant created = this.engines.create(tenant);
			Map<String, MigrationTenant> now = new LinkedHashMap<>(this.tenants);
			now.put(tenant.id(), created);
			this.tenants = Collections.unmodifiableMap(now);
			this.summary = null;
			return created;
		}
	}

	/**
	 * Lists the tenants and runs each in the given mode, {@code parallelism} at a time.
	 * @throws TenantsFailedException with {@link TenantFailureMode#FAIL}, when a tenant failed (after all ran)
	 */
	public TargetRun runAll(MigrationMode mode) {
		Instant start = Instant.now();
		List<MigrationTenant> listed = refresh();
		List<MigrationTenant> order = new ArrayList<>(listed);
		Collections.shuffle(order);
		Map<String, TenantOutcome> outcomes = new java.util.concurrent.ConcurrentHashMap<>();
		if (!order.isEmpty()) {
			logger.info("Target {}: {} {} tenants, {} at a time", this.target, verb(mode), order.size(),
					Math.min(this.parallelism, order.size()));
		}
		if (mode == MigrationMode.APPLY) {
			this.engines.checkSchemas(order);
		}
		ExecutorService executor = Executors.newFixedThreadPool(Math.min(this.parallelism, Math.max(1, order.size())),
				threads(this.target));
		try {
			List<CompletableFuture<Void>> runs = new ArrayList<>();
			for (MigrationTenant tenant : order) {
				runs.add(CompletableFuture.runAsync(() -> outcomes.put(tenant.id(), runOne(tenant, mode)), executor));
			}
			CompletableFuture.allOf(runs.toArray(CompletableFuture[]::new)).join();
		}
		finally {
			executor.shutdownNow();
			this.engines.closeIdle();
		}
		this.summary = null;
		List<TenantOutcome> inOrder = listed.stream().map((tenant) -> outcomes.get(tenant.id())).toList();
		TargetRun run = new TargetRun(this.target, inOrder, Duration.between(start, Instant.now()));
		List<TenantOutcome> failed = run.failed();
		if (!order.isEmpty()) {
			logger.info("Target {}: {} tenants in {} ms, {} changesets applied, {} failed{}", this.target, order.size(),
					run.took().toMillis(), run.applied(), failed.size(),
					failed.isEmpty() ? "" : ": " + String.join(", ", failed.stream().map(TenantOutcome::tenant).toList()));
		}
		if (!failed.isEmpty() && this.onFailure == TenantFailureMode.FAIL) {
			Map<String, String> failures = new LinkedHashMap<>();
			failed.forEach((outcome) -> failures.put(outcome.tenant(), outcome.failure().message(this.wording)));
			throw new TenantsFailedException(this.target, order.size(), failures);
		}
		return run;
	}

	private TenantOutcome runOne(MigrationTenant tenant, MigrationMode mode) {
		Instant start = Instant.now();
		try {
			RunResult result = tenant.run(mode);
			return new TenantOutcome(tenant.id(), result, null, Duration.between(start, Instant.now()));
		}
		catch (MigrationException ex) {
			logger.error("Target {}, tenant {}: {}", this.target, tenant.id(), ex.message(this.wording));
			return new TenantOutcome(tenant.id(), null, ex, Duration.between(start, Instant.now()));
		}
	}

	/**
	 * Applies the tenant's pending changesets now (on the caller's thread), e.g. for a tenant created at runtime.
	 * @throws MigrationException when its run fails
	 */
	public RunResult migrate(MigrationTenant tenant) {
		try {
			return tenant.run(MigrationMode.APPLY);
		}
		finally {
			this.summary = null;
			this.engines.closeIdle();
		}
	}

	/**
	 * Where the target stands: the worst of its tenants' states and how many are in each. The tenants' statuses are
	 * read (those not cached) {@code parallelism} at a time; the summary is kept for the status time to live.
	 */
	public TargetSummary summary() {
		Cached cached = this.summary;
		if (cached != null && Duration.between(cached.readAt(), Instant.now()).compareTo(this.summaryTimeToLive) < 0) {
			return cached.summary();
		}
		List<MigrationTenant> all = tenants();
		List<SchemaState> states = new ArrayList<>(Collections.nCopies(all.size(), SchemaState.UNAVAILABLE));
		if (all.size() == 1 || this.parallelism == 1) {
			for (int i = 0; i < all.size(); i++) {
				states.set(i, all.get(i).state());
			}
		}
		else {
			ExecutorService executor = Executors.newFixedThreadPool(Math.min(this.parallelism, all.size()),
					threads(this.target + "-status"));
			try {
				List<CompletableFuture<Void>> reads = new ArrayList<>();
				for (int i = 0; i < all.size(); i++) {
					int index = i;
					reads.add(CompletableFuture.runAsync(() -> states.set(index, all.get(index).state()), executor));
				}
				CompletableFuture.allOf(reads.toArray(CompletableFuture[]::new)).join();
			}
			finally {
				executor.shutdownNow();
			}
		}
		this.engines.closeIdle();
		TargetSummary summary = TargetSummary.ofTenants(this.target, states);
		this.summary = new Cached(summary, Instant.now());
		return summary;
	}

	private static String verb(MigrationMode mode) {
		return switch (mode) {
			case APPLY -> "migrating";
			case VALIDATE -> "validating";
			case REPORT -> "checking";
		};
	}

	private static ThreadFactory threads(String name) {
		AtomicInteger count = new AtomicInteger();
		return (runnable) -> {
			Thread thread = new Thread(runnable, "lockstep-" + name + "-" + count.incrementAndGet());
			thread.setDaemon(true);
			return thread;
		};
	}

	private record Cached(TargetSummary summary, Instant readAt) {
	}

}
