package dev.lockstep.core.changelog;

import java.util.ArrayDeque;
import java.util.Deque;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;

import liquibase.database.Database;
import liquibase.resource.ResourceAccessor;

import org.jspecify.annotations.Nullable;

import dev.lockstep.core.api.MigrationSettings;
import dev.lockstep.core.fingerprint.RecordingResourceAccessor;

/**
 * The changelog's resources and parses, for one engine or shared by the engines that run the same changelog with
 * the same settings on other schemas (the tenants of a target).
 * <p>
 * Shared, the parses are pooled: an operation of an engine leases one for its whole duration
 * ({@link #withLease}), and gives it back for the next tenant. Liquibase's changeset objects carry per-run state
 * (the exec type, the generated SQL), so one parse is never used by two runs at a time; tenants migrated
 * {@code parallelism} at a time share as many parses, however many tenants there are. The resources are read
 * through one recording accessor, so the fast path of every tenant vouches for the files as they were parsed.
 * <p>
 * A changelog that uses Liquibase's schema-dependent {@code ${database.*}} parameters (e.g.
 * {@code database.defaultSchemaName}) expands them for the schema it was parsed on; such a parse is never handed to
 * another tenant.
 */
public final class SharedChangeLog {

	private final RecordingResourceAccessor recording;

	private final ChangeLogLoader loader;

	private final boolean pooled;

	private final Deque<LoadedChangeLog> idle = new ArrayDeque<>();

	private final ThreadLocal<Lease> leases = new ThreadLocal<>();

	private final AtomicInteger parses = new AtomicInteger();

	/** The changelog of one engine: parsed once, kept by it. */
	public SharedChangeLog(ResourceAccessor resources) {
		this(resources, false);
	}

	/**
	 * @param pooled whether engines of several schemas share it, leasing parses
	 */
	public SharedChangeLog(ResourceAccessor resources, boolean pooled) {
		this.recording = new RecordingResourceAccessor(resources);
		this.loader = new ChangeLogLoader(this.recording);
		this.pooled = pooled;
	}

	public RecordingResourceAccessor recording() {
		return this.recording;
	}

	public ChangeLogLoader loader() {
		return this.loader;
	}

	/**
	 * Runs an operation of an engine holding a parse of its own for its duration (re-entrant: nested operations
	 * of the same thread share the lease). Without pooling, just runs it.
	 */
	public <T> T withLease(Supplier<T> work) {
		if (!this.pooled) {
			return work.get();
		}
		Lease lease = this.leases.get();
		if (lease != null) {
			lease.depth++;
			try {
				return work.get();
			}
			finally {
				lease.depth--;
			}
		}
		lease = new Lease();
		this.leases.set(lease);
		try {
			return work.get();
		}
		finally {
			this.leases.remove();
			LoadedChangeLog parse = lease.parse;
			if (parse != null && !parse.usesDatabaseParameters()) {
				synchronized (this.idle) {
					this.idle.push(parse);
				}
			}
		}
	}

	/**
	 * The parse leased by this thread's operation, taken from the pool or parsed now when it has none yet; {@code
	 * null} outside a lease (the engine then keeps a parse of its own).
	 */
	public @Nullable LoadedChangeLog leased(Database database, MigrationSettings settings) {
		Lease lease = this.pooled ? this.leases.get() : null;
		if (lease == null) {
			return null;
		}
		if (lease.parse == null) {
			LoadedChangeLog pooledParse;
			synchronized (this.idle) {
				pooledParse = this.idle.poll();
			}
			lease.parse = (pooledParse != null) ? pooledParse : parse(database, settings);
		}
		return lease.parse;
	}

	/** The parse this thread's operation leased, if it leased one. */
	public @Nullable LoadedChangeLog currentLease() {
		Lease lease = this.pooled ? this.leases.get() : null;
		return (lease != null) ? lease.parse : null;
	}

	/** A new parse. */
	public LoadedChangeLog parse(Database database, MigrationSettings settings) {
		LoadedChangeLog parse = this.loader.load(database, settings);
		this.parses.incrementAndGet();
		return parse;
	}

	/** How often the changelog was parsed so far. */
	public int parses() {
		return this.parses.get();
	}

	private static final class Lease {

		private int depth;

		private @Nullable LoadedChangeLog parse;

	}

}
