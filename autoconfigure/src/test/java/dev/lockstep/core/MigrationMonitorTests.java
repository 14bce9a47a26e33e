package dev.lockstep.core;

import java.io.PrintWriter;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.SQLFeatureNotSupportedException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.logging.Logger;

import javax.sql.DataSource;

import liquibase.integration.spring.SpringResourceAccessor;

import org.junit.jupiter.api.Test;
import org.springframework.core.io.DefaultResourceLoader;

import dev.lockstep.core.api.MigrationMode;
import dev.lockstep.core.api.MigrationSettings;
import dev.lockstep.core.api.SchemaState;
import dev.lockstep.test.TestDatabases;
import dev.lockstep.core.test.ThreadPerTask;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The cached status: one read per time to live, and a probe never queues behind the read that refreshes it.
 */
class MigrationMonitorTests {

	@Test
	void expiredSnapshotIsServedWhileAnotherCallerReadsTheNextOne() throws Exception {
		GatedDataSource dataSource = new GatedDataSource(TestDatabases.create().dataSource());
		MigrationEngine engine = engine(dataSource);
		engine.apply();
		MutableClock clock = new MutableClock();
		MigrationMonitor monitor = new MigrationMonitor(engine, MigrationMode.APPLY, Duration.ofSeconds(10), clock);
		StatusSnapshot first = monitor.snapshot();
		assertThat(first.status().state()).isEqualTo(SchemaState.UP_TO_DATE);
		assertThat(monitor.snapshot()).as("within the time to live").isSameAs(first);

		clock.advance(Duration.ofSeconds(11));
		dataSource.close();
		CompletableFuture<StatusSnapshot> refreshing = snapshotAsync(monitor);
		assertThat(dataSource.entered.await(30, TimeUnit.SECONDS)).as("the refreshing read reached the database")
			.isTrue();
		// The read is stuck on the database: others get the previous snapshot instead of waiting for it.
		StatusSnapshot meanwhile = snapshotAsync(monitor).get(30, TimeUnit.SECONDS);
		assertThat(meanwhile).isSameAs(first);
		assertThat(refreshing).isNotDone();

		dataSource.open();
		StatusSnapshot second = refreshing.get(30, TimeUnit.SECONDS);
		assertThat(second).isNotSameAs(first);
		assertThat(second.status().state()).isEqualTo(SchemaState.UP_TO_DATE);
		assertThat(monitor.snapshot()).isSameAs(second);
	}

	@Test
	void withoutAnyReadYetCallersWaitForTheFirstOne() throws Exception {
		GatedDataSource dataSource = new GatedDataSource(TestDatabases.create().dataSource());
		MigrationEngine engine = engine(dataSource);
		MigrationMonitor monitor = new MigrationMonitor(engine, MigrationMode.REPORT, Duration.ofSeconds(10),
				new MutableClock());
		dataSource.close();
		CompletableFuture<StatusSnapshot> first = snapshotAsync(monitor);
		assertThat(dataSource.entered.await(30, TimeUnit.SECONDS)).isTrue();
		CompletableFuture<StatusSnapshot> second = snapshotAsync(monitor);
		Thread.sleep(200);
		assertThat(second).as("nothing to serve yet: it waits for the read").isNotDone();
		dataSource.open();
		assertThat(second.get(30, TimeUnit.SECONDS)).isSameAs(first.get(30, TimeUnit.SECONDS));
		assertThat(second.get().status().state()).isEqualTo(SchemaState.PENDING);
	}

	@Test
	void readThatHangsTurnsTheStatusUnavailableAfterThreeTimeToLivesWithTheAgeOfTheLastGoodRead() throws Exception {
		GatedDataSource dataSource = new GatedDataSource(TestDatabases.create().dataSource());
		MigrationEngine engine = engine(dataSource);
		engine.apply();
		MutableClock clock = new MutableClock();
		MigrationMonitor monitor = new MigrationMonitor(engine, MigrationMode.APPLY, Duration.ofSeconds(10), clock);
		StatusSnapshot good = monitor.snapshot();
		assertThat(good.state()).isEqualTo(SchemaState.UP_TO_DATE);

		clock.advance(Duration.ofSeconds(11));
		dataSource.close();
		CompletableFuture<StatusSnapshot> hanging = snapshotAsync(monitor);
		assertThat(dataSource.entered.await(30, TimeUnit.SECONDS)).isTrue();
		assertThat(snapshotAsync(monitor).get(30, TimeUnit.SECONDS))
			.as("within 3 x the time to live: the last read").isSameAs(good);

		clock.advance(Duration.ofSeconds(20));
		StatusSnapshot stale = snapshotAsync(monitor).get(30, TimeUnit.SECONDS);
		assertThat(stale.state()).isEqualTo(SchemaState.UNAVAILABLE);
		assertThat(stale.lastGoodReadAt()).isEqualTo(good.checkedAt());
		assertThat(stale.staleFor()).isEqualTo(Duration.ofSeconds(31));
		assertThat(stale.error()).startsWith("No status read has succeeded for 31 s; the read in progress has "
				+ "waited 20 s for the database");
		assertThat(hanging).isNotDone();

		dataSource.open();
		assertThat(hanging.get(30, TimeUnit.SECONDS).state()).isEqualTo(SchemaState.UP_TO_DATE);
		StatusSnapshot recovered = monitor.snapshot();
		assertThat(recovered.state()).isEqualTo(SchemaState.UP_TO_DATE);
		assertThat(recovered.staleFor()).isNull();
	}

	@Test
	void withoutAnyReadYetCallersWaitForAHangingFirstReadOnlyAFewSeconds() throws Exception {
		GatedDataSource dataSource = new GatedDataSource(TestDatabases.create().dataSource());
		MigrationMonitor monitor = new MigrationMonitor(engine(dataSource), MigrationMode.REPORT,
				Duration.ofSeconds(10), new MutableClock());
		dataSource.close();
		CompletableFuture<StatusSnapshot> first = snapshotAsync(monitor);
		assertThat(dataSource.entered.await(30, TimeUnit.SECONDS)).isTrue();
		StatusSnapshot second = snapshotAsync(monitor).get(30, TimeUnit.SECONDS);
		assertThat(second.state()).isEqualTo(SchemaState.UNAVAILABLE);
		assertThat(second.error()).startsWith("No status read has succeeded yet");
		assertThat(second.lastGoodReadAt()).isNull();
		assertThat(first).isNotDone();
		dataSource.open();
		assertThat(first.get(30, TimeUnit.SECONDS).state()).isEqualTo(SchemaState.PENDING);
	}

	/** On a thread of its own: these reads block, and must not queue behind each other. */
	private static CompletableFuture<StatusSnapshot> snapshotAsync(MigrationMonitor monitor) {
		return CompletableFuture.supplyAsync(monitor::snapshot, ThreadPerTask.EXECUTOR);
	}

	private static MigrationEngine engine(DataSource dataSource) {
		return new MigrationEngine(dataSource, new SpringResourceAccessor(new DefaultResourceLoader()),
				MigrationSettings.of("classpath:db/changelog/db.changelog-master.yaml"));
	}

	/** A data source whose connections can be held back, to keep a read in progress for as long as needed. */
	private static final class GatedDataSource implements DataSource {

		private final DataSource delegate;

		private final CountDownLatch entered = new CountDownLatch(1);

		private volatile CountDownLatch gate = new CountDownLatch(0);

		GatedDataSource(DataSource delegate) {
			this.delegate = delegate;
		}

		void close() {
			this.gate = new CountDownLatch(1);
		}

		void open() {
			this.gate.countDown();
		}

		@Override
		public Connection getConnection() throws SQLException {
			CountDownLatch current = this.gate;
			if (current.getCount() > 0) {
				this.entered.countDown();
				try {
					current.await();
				}
				catch (InterruptedException ex) {
					Thread.currentThread().interrupt();
					throw new SQLException(ex);
				}
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

	private static final class MutableClock extends Clock {

		private volatile Instant now = Instant.now();

		void advance(Duration duration) {
			this.now = this.now.plus(duration);
		}

		@Override
		public ZoneId getZone() {
			return ZoneOffset.UTC;
		}

		@Override
		public Clock withZone(ZoneId zone) {
			return this;
		}

		@Override
		public Instant instant() {
			return this.now;
		}

	}

}
