package dev.lockstep.core.drift;

import java.sql.Connection;
import java.sql.SQLException;
import java.util.List;

import org.jspecify.annotations.Nullable;

import dev.lockstep.core.api.DriftReport;
import dev.lockstep.core.api.DriftState;
import dev.lockstep.core.jdbc.HistoryLocation;
import dev.lockstep.core.lock.MigrationLock;

/**
 * Drift for one engine: its settings (on or off, what to ignore), the catalog reader, the record, the recorder
 * that runs use under the lock and the check that anyone may run without it.
 */
public final class SchemaDrift {

	private final ManagedSchemas schemas;

	private final CatalogReader reader;

	private final SchemaRecordStore store;

	private final DriftRecorder recorder;

	private final DriftCheck check;

	private volatile boolean enabled = true;

	private volatile DriftIgnore ignore = DriftIgnore.NONE;

	/**
	 * @param defaultSchema the configured default schema, or {@code null} for the connection's current schema
	 * @param history where the history lives (the record lives beside it)
	 */
	public SchemaDrift(@Nullable String defaultSchema, HistoryLocation history) {
		this.schemas = new ManagedSchemas(defaultSchema, history);
		this.reader = new CatalogReader(this.schemas);
		this.store = new SchemaRecordStore(history);
		this.recorder = new DriftRecorder(this.reader, this.store, history);
		this.check = new DriftCheck(this.reader, this.store, history);
	}

	/**
	 * @param on whether runs record the schema and checks compare it ({@code migrations.drift.enabled})
	 * @param patterns what checks leave out ({@code migrations.drift.ignore}), see {@link DriftIgnore}
	 * @throws dev.lockstep.core.problem.MigrationException when a pattern is not valid
	 */
	public void configure(boolean on, List<String> patterns) {
		this.ignore = DriftIgnore.of(patterns);
		this.enabled = on;
	}

	public boolean enabled() {
		return this.enabled;
	}

	public DriftIgnore ignore() {
		return this.ignore;
	}

	public ManagedSchemas schemas() {
		return this.schemas;
	}

	public CatalogReader reader() {
		return this.reader;
	}

	public SchemaRecordStore store() {
		return this.store;
	}

	/** Under the lock, before work that may change the schema. */
	public DriftRecorder.Before beforeChange(Connection connection) {
		return this.enabled ? this.recorder.before(connection) : DriftRecorder.Before.NOT_RECORDED;
	}

	/** Under the lock, after that work (also when it failed). */
	public void afterChange(Connection connection, DriftRecorder.Before before, String recordedBy) {
		this.recorder.after(connection, before, recordedBy);
	}

	/** Compares the live schema with the record, without the lock (see {@link DriftCheck}). */
	public DriftReport check(Connection connection, MigrationLock lock) {
		return check(connection, lock, null);
	}

	/**
	 * Compares the live schema with the record, without the lock, the catalog read on two connections when a
	 * second one can be had from {@code helper}.
	 */
	public DriftReport check(Connection connection, MigrationLock lock,
			CatalogReader.@Nullable ConnectionSource helper) {
		if (!this.enabled) {
			return DriftReport.inconclusive(DriftState.DISABLED, java.time.Instant.now(), null,
					"Drift checks are switched off");
		}
		return this.check.check(connection, lock, this.ignore, helper);
	}

	/** Records the given description as what the migrations made; call under the lock. */
	public SchemaRecordStore.RecordSummary record(Connection connection, SchemaDescription description,
			String recordedBy) throws SQLException {
		return this.store.write(connection, description, DriftRecorder.historyHash(connection,
				this.recorder.history()), recordedBy);
	}

}
