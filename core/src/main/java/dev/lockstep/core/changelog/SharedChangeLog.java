package dev.lockstep.core.changelog;

import liquibase.database.Database;
import liquibase.resource.ResourceAccessor;

import org.jspecify.annotations.Nullable;

import dev.lockstep.core.api.MigrationSettings;
import dev.lockstep.core.fingerprint.RecordingResourceAccessor;

/**
 * The changelog's resources and its parse, shared by every engine that runs the same changelog with the same
 * settings but on another schema (the tenants of a target): parsed once, by the first engine that needs it, and
 * reused by all. The resources are read through one recording accessor, so the fast path of every tenant vouches
 * for the files as they were parsed.
 * <p>
 * A changelog that uses Liquibase's {@code ${database.*}} parameters (e.g. {@code database.defaultSchemaName})
 * expands them with the database it was parsed on; such a changelog is parsed again by each engine instead.
 */
public final class SharedChangeLog {

	private final RecordingResourceAccessor recording;

	private final ChangeLogLoader loader;

	private volatile @Nullable LoadedChangeLog parsed;

	private final Object parseLock = new Object();

	private final java.util.concurrent.atomic.AtomicInteger parses = new java.util.concurrent.atomic.AtomicInteger();

	public SharedChangeLog(ResourceAccessor resources) {
		this.recording = new RecordingResourceAccessor(resources);
		this.loader = new ChangeLogLoader(this.recording);
	}

	public RecordingResourceAccessor recording() {
		return this.recording;
	}

	public ChangeLogLoader loader() {
		return this.loader;
	}

	/**
	 * The parse for an engine that has none yet: the shared one, parsed now if no engine did yet (one parse at a
	 * time, so that engines starting together parse once), or a parse of its own where the changelog depends on
	 * the database it was parsed on.
	 */
	public LoadedChangeLog parse(Database database, MigrationSettings settings) {
		LoadedChangeLog shared = this.parsed;
		if (shared == null) {
			synchronized (this.parseLock) {
				shared = this.parsed;
				if (shared == null) {
					shared = this.loader.load(database, settings);
					this.parses.incrementAndGet();
					this.parsed = shared;
					return shared;
				}
			}
		}
		if (shared.usesDatabaseParameters()) {
			this.parses.incrementAndGet();
			return this.loader.load(database, settings);
		}
		return shared;
	}

	/** How often the changelog was parsed so far (once, unless it uses {@code ${database.*}} parameters). */
	public int parses() {
		return this.parses.get();
	}

}
