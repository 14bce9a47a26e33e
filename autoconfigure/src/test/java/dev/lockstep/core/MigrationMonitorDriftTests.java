package dev.lockstep.core;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.SQLFeatureNotSupportedException;
import java.time.Duration;
import java.time.Instant;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.logging.Logger;

import javax.sql.DataSource;

import liquibase.integration.spring.SpringResourceAccessor;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.core.io.DefaultResourceLoader;

import dev.lockstep.core.api.DatabaseInfo;
import dev.lockstep.core.api.DriftChange;
import dev.lockstep.core.api.DriftObject;
import dev.lockstep.core.api.DriftReport;
import dev.lockstep.core.api.DriftState;
import dev.lockstep.core.api.MigrationMode;
import dev.lockstep.core.api.MigrationSettings;
import dev.lockstep.core.api.MigrationStatus;
import dev.lockstep.core.api.SchemaState;
import dev.lockstep.core.test.HeldLock;
import dev.lockstep.test.ChangeLogFile;
import dev.lockstep.test.TestDatabase;
import dev.lockstep.test.TestDatabases;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Drift in the monitor: the state {@code SCHEMA_DRIFT} only where the history alone would say all is well, the last
 * conclusive report kept through checks that cannot tell, a new check after a run, and one log line per change.
 */
@ExtendWith(OutputCaptureExtension.class)
class MigrationMonitorDriftTests {

	private static final DriftObject NOTE = new DriftObject("column", "orders.note", DriftChange.ADDED, null,
			"text null");

	@TempDir
	Path dir;

	@Test
	void driftTurnsOnlyAMatchingHistoryIntoSchemaDrift() {
		DriftStatus drift = DriftStatus.next(null, report(DriftState.DRIFT, NOTE));
		Map<SchemaState, SchemaState> shown = new EnumMap<>(SchemaState.class);
		for (SchemaState state : SchemaState.values()) {
			shown.put(state, snapshot(state).withDrift(drift).state());
		}
		assertThat(shown).containsEntry(SchemaState.UP_TO_DATE, SchemaState.SCHEMA_DRIFT)
			.containsEntry(SchemaState.AHEAD, SchemaState.SCHEMA_DRIFT)
			.containsEntry(SchemaState.PENDING, SchemaState.PENDING)
			.containsEntry(SchemaState.DRIFTED, SchemaState.DRIFTED)
			.containsEntry(SchemaState.FAILED, SchemaState.FAILED)
			.containsEntry(SchemaState.MIGRATING, SchemaState.MIGRATING)
			.containsEntry(SchemaState.UNAVAILABLE, SchemaState.UNAVAILABLE)
			.containsEntry(SchemaState.DISABLED, SchemaState.DISABLED);
		for (DriftState state : List.of(DriftState.CLEAN, DriftState.NO_RECORD, DriftState.STALE_RECORD,
				DriftState.RUN_IN_PROGRESS, DriftState.UNSUPPORTED, DriftState.DISABLED, DriftState.UNAVAILABLE)) {
			DriftStatus other = DriftStatus.next(null, report(state));
			assertThat(snapshot(SchemaState.UP_TO_DATE).withDrift(other).state()).as("%s", state)
				.isEqualTo(SchemaState.UP_TO_DATE);
		}
		assertThat(snapshot(SchemaState.UP_TO_DATE).withDrift(drift).unavailable("gone", null, null).state())
			.isEqualTo(SchemaState.UNAVAILABLE);
	}

	@Test
	void checksThatCannotTellKeepTheLastConclusiveReportAndSaySo() {
		DriftStatus drifted = DriftStatus.next(null, report(DriftState.DRIFT, NOTE));
		for (DriftState state : List.of(DriftState.RUN_IN_PROGRESS, DriftState.UNAVAILABLE)) {
			DriftReport attempt = report(state);
			DriftStatus kept = DriftStatus.next(drifted, attempt);
			assertThat(kept.report()).isSameAs(drifted.report());
			assertThat(kept.skipped()).isSameAs(attempt);
			assertThat(kept.hasDrift()).isTrue();
			assertThat(kept.objectCount()).isEqualTo(1);
			assertThat(kept.message()).contains("could not compare (" + state + "): " + attempt.message())
				.contains("shown is the last check that could");
			// Another attempt that cannot tell still keeps the conclusive one.
			assertThat(DriftStatus.next(kept, report(DriftState.UNAVAILABLE)).report()).isSameAs(drifted.report());
		}
		// What is not transient replaces it: the record is gone, or checks were switched off.
		for (DriftState state : List.of(DriftState.CLEAN, DriftState.NO_RECORD, DriftState.STALE_RECORD,
				DriftState.DISABLED, DriftState.UNSUPPORTED)) {
			DriftStatus next = DriftStatus.next(drifted, report(state));
			assertThat(next.state()).isEqualTo(state);
			assertThat(next.skipped()).isNull();
		}
		// Nothing conclusive before: the attempt is what is known, and the gauge says unknown.
		DriftStatus unknown = DriftStatus.next(DriftStatus.next(null, report(DriftState.NO_RECORD)),
				report(DriftState.RUN_IN_PROGRESS));
		assertThat(unknown.state()).isEqualTo(DriftState.RUN_IN_PROGRESS);
		assertThat(unknown.objectCount()).isNaN();
		assertThat(DriftStatus.next(null, report(DriftState.CLEAN)).objectCount()).isZero();
	}

	@Test
	void handChangeShowsAsSchemaDriftAndARunHoldingTheLockDoesNotHideIt(CapturedOutput output) {
		TestDatabase db = TestDatabases.create();
		SwitchableDataSource dataSource = new SwitchableDataSource(db.dataSource());
		ChangeLogFile changeLog = ChangeLogFile.in(this.dir).write(ChangeLogFile.CUSTOMERS, ChangeLogFile.ORDERS);
		MigrationEngine engine = new MigrationEngine(dataSource,
				new SpringResourceAccessor(new DefaultResourceLoader()), MigrationSettings.of(changeLog.location()));
		engine.apply();
		MigrationMonitor monitor = new MigrationMonitor(engine, MigrationMode.APPLY, Duration.ofSeconds(10));
		assertThat(monitor.drift()).isNull();
		assertThat(monitor.snapshot().drift()).isNull();
		assertThat(monitor.checkDrift().state()).isEqualTo(DriftState.CLEAN);
		assertThat(monitor.snapshot().state()).isEqualTo(SchemaState.UP_TO_DATE);

		db.execute("ALTER TABLE orders ADD COLUMN note text");
		DriftStatus drifted = monitor.checkDrift();
		assertThat(drifted.objects()).containsExactly(NOTE);
		StatusSnapshot snapshot = monitor.snapshot();
		assertThat(snapshot.state()).isEqualTo(SchemaState.SCHEMA_DRIFT);
		assertThat(snapshot.status().state()).as("the history alone").isEqualTo(SchemaState.UP_TO_DATE);
		assertThat(output).containsOnlyOnce("Schema drift: 1 object(s) differ from what the migrations made: "
				+ "column orders.note: added (text null) — run migrations diff");

		try (HeldLock lock = HeldLock.take(db)) {
			DriftStatus during = monitor.checkDrift();
			assertThat(during.skipped().state()).isEqualTo(DriftState.RUN_IN_PROGRESS);
			assertThat(during.report()).isSameAs(drifted.report());
			assertThat(during.message()).contains("holds the lock");
			assertThat(monitor.snapshot().state()).isEqualTo(SchemaState.SCHEMA_DRIFT);
		}
		dataSource.broken = true;
		DriftStatus unreachable = monitor.checkDrift();
		assertThat(unreachable.skipped().state()).isEqualTo(DriftState.UNAVAILABLE);
		assertThat(unreachable.report()).isSameAs(drifted.report());
		dataSource.broken = false;
		assertThat(monitor.checkDrift().skipped()).isNull();
		assertThat(output).as("the same drift is not logged again").containsOnlyOnce("Schema drift: ");

		db.execute("CREATE INDEX orders_note_idx ON orders (note)");
		assertThat(monitor.checkDrift().objects()).hasSize(2);
		assertThat(output).contains("Schema drift: 2 object(s) differ from what the migrations made: "
				+ "column orders.note: added (text null); index orders_note_idx: added (");

		db.execute("DROP INDEX orders_note_idx; ALTER TABLE orders DROP COLUMN note");
		assertThat(monitor.checkDrift().state()).isEqualTo(DriftState.CLEAN);
		assertThat(output).containsOnlyOnce("Schema drift cleared");
		assertThat(monitor.snapshot().state()).isEqualTo(SchemaState.UP_TO_DATE);
	}

	@Test
	void aheadWithDriftIsSchemaDriftButPendingKeepsPrecedence() {
		TestDatabase db = TestDatabases.create();
		ChangeLogFile changeLog = ChangeLogFile.in(this.dir)
			.write(ChangeLogFile.CUSTOMERS, ChangeLogFile.ORDERS, ChangeLogFile.EMAIL);
		changeLog.applyTo(db);
		db.execute("ALTER TABLE orders ADD COLUMN note text");

		MigrationEngine older = changeLog.write(ChangeLogFile.CUSTOMERS, ChangeLogFile.ORDERS).engine(db);
		MigrationMonitor ahead = new MigrationMonitor(older, MigrationMode.REPORT, Duration.ofSeconds(10));
		ahead.checkDrift();
		assertThat(ahead.snapshot().status().state()).isEqualTo(SchemaState.AHEAD);
		assertThat(ahead.snapshot().state()).isEqualTo(SchemaState.SCHEMA_DRIFT);

		MigrationEngine newer = changeLog
			.write(ChangeLogFile.CUSTOMERS, ChangeLogFile.ORDERS, ChangeLogFile.EMAIL, ChangeLogFile.sleeping("4", 0))
			.engine(db);
		MigrationMonitor pending = new MigrationMonitor(newer, MigrationMode.REPORT, Duration.ofSeconds(10));
		assertThat(pending.checkDrift().hasDrift()).isTrue();
		assertThat(pending.snapshot().state()).isEqualTo(SchemaState.PENDING);
	}

	@Test
	void aRunOfThisInstanceRecordsTheSchemaAndTheNextSnapshotChecksAgain() {
		TestDatabase db = TestDatabases.create();
		ChangeLogFile changeLog = ChangeLogFile.in(this.dir).write(ChangeLogFile.CUSTOMERS, ChangeLogFile.ORDERS);
		MigrationEngine engine = changeLog.engine(db);
		MigrationMonitor monitor = new MigrationMonitor(engine, MigrationMode.APPLY, Duration.ofSeconds(10));
		engine.addListener(monitor);
		engine.apply();
		db.execute("ALTER TABLE orders ADD COLUMN note text");
		DriftStatus before = monitor.checkDrift();
		assertThat(before.objects()).containsExactly(NOTE);
		Instant recordedBefore = before.report().recordedAt();

		// The same engine sees the changelog file again only after a restart: a new one applies the new changeset.
		MigrationEngine next = changeLog.write(ChangeLogFile.CUSTOMERS, ChangeLogFile.ORDERS, ChangeLogFile.EMAIL)
			.engine(db);
		next.addListener(monitor);
		next.apply();

		DriftStatus after = monitor.snapshot().drift();
		assertThat(after.report()).isNotSameAs(before.report());
		assertThat(after.report().recordedAt()).as("the run's record").isAfter(recordedBefore);
		assertThat(after.objects()).as("drift from before the run is carried forward").containsExactly(NOTE);
		assertThat(monitor.snapshot().drift()).as("checked once, not on every read").isSameAs(after);
	}

	@Test
	void freshDriftIsReusedForTheTimeToLive() {
		TestDatabase db = TestDatabases.create();
		MigrationEngine engine = ChangeLogFile.in(this.dir).write(ChangeLogFile.CUSTOMERS).engine(db);
		engine.apply();
		MigrationMonitor monitor = new MigrationMonitor(engine, MigrationMode.APPLY, Duration.ofMillis(300));
		DriftStatus first = monitor.freshDrift();
		assertThat(first.state()).isEqualTo(DriftState.CLEAN);
		assertThat(monitor.freshDrift()).as("within the time to live").isSameAs(first);
		db.execute("CREATE TABLE scratch (id int)");
		org.awaitility.Awaitility.await()
			.atMost(Duration.ofSeconds(10))
			.until(() -> monitor.freshDrift().hasDrift());
		assertThat(monitor.freshDrift().objects()).extracting(DriftObject::name).contains("scratch");
	}

	private static DriftReport report(DriftState state, DriftObject... objects) {
		Instant now = Instant.now();
		return state.isConclusive() ? new DriftReport(state, now, List.of(objects), 0, now, null)
				: DriftReport.inconclusive(state, now, null, "why " + state);
	}

	private static StatusSnapshot snapshot(SchemaState state) {
		MigrationStatus status = new MigrationStatus(state, new DatabaseInfo("PostgreSQL", "17", "jdbc:x", "public"),
				null, null, 0, List.of(), List.of(), List.of(), null, Instant.now());
		return new StatusSnapshot(status, List.of(), null, MigrationMode.APPLY, null, Instant.now());
	}

	/** A data source that can be made to fail, as a lost database does. */
	private static final class SwitchableDataSource implements DataSource {

		private final DataSource delegate;

		private volatile boolean broken;

		SwitchableDataSource(DataSource delegate) {
			this.delegate = delegate;
		}

		@Override
		public Connection getConnection() throws SQLException {
			if (this.broken) {
				throw new SQLException("Connection refused", "08001");
			}
			return this.delegate.getConnection();
		}

		@Override
		public Connection getConnection(String username, String password) throws SQLException {
			return getConnection();
		}

		@Override
		public PrintWriter getLogWriter() throws SQLException {
			return this.delegate.getLogWriter();
		}

		@Override
		public void setLogWriter(PrintWriter out) throws SQLException {
			this.delegate.setLogWriter(out);
		}

		@Override
		public void setLoginTimeout(int seconds) throws SQLException {
			this.delegate.setLoginTimeout(seconds);
		}

		@Override
		public int getLoginTimeout() throws SQLException {
			return this.delegate.getLoginTimeout();
		}

		@Override
		public Logger getParentLogger() throws SQLFeatureNotSupportedException {
			return this.delegate.getParentLogger();
		}

		@Override
		public <T> T unwrap(Class<T> iface) throws SQLException {
			return this.delegate.unwrap(iface);
		}

		@Override
		public boolean isWrapperFor(Class<?> iface) throws SQLException {
			return this.delegate.isWrapperFor(iface);
		}

	}

}
