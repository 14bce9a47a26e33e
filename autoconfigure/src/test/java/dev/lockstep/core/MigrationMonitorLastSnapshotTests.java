package dev.lockstep.core;

import java.time.Duration;

import liquibase.integration.spring.SpringResourceAccessor;
import org.junit.jupiter.api.Test;

import org.springframework.core.io.DefaultResourceLoader;

import dev.lockstep.core.api.MigrationMode;
import dev.lockstep.core.api.MigrationSettings;
import dev.lockstep.core.api.SchemaState;
import dev.lockstep.test.TestDatabase;
import dev.lockstep.test.TestDatabases;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@link MigrationMonitor#lastSnapshot()}: the status as last read, never reading (what fleet metrics sum).
 */
class MigrationMonitorLastSnapshotTests {

	@Test
	void servesTheLastReadWithoutReadingEvenAfterItExpired() throws InterruptedException {
		TestDatabase db = TestDatabases.create();
		MigrationEngine engine = engine(db);
		MigrationMonitor monitor = new MigrationMonitor(engine, MigrationMode.REPORT, Duration.ofMillis(50));
		engine.addListener(monitor);
		assertThat(monitor.lastSnapshot()).as("nothing read yet").isNull();
		assertThat(monitor.snapshot().status().pending()).hasSize(3);
		// Another instance applies them; this monitor's cache expires.
		engine(db).apply();
		Thread.sleep(200);
		StatusSnapshot last = monitor.lastSnapshot();
		assertThat(last).isNotNull();
		assertThat(last.status().pending()).as("the last read, though expired; nothing read since").hasSize(3);
		assertThat(monitor.snapshot().status().pending()).as("snapshot() reads again").isEmpty();
		assertThat(monitor.lastSnapshot().status().pending()).isEmpty();
		assertThat(monitor.lastSnapshot().state()).isEqualTo(SchemaState.UP_TO_DATE);
	}

	private static MigrationEngine engine(TestDatabase db) {
		return new MigrationEngine(db.dataSource(), new SpringResourceAccessor(new DefaultResourceLoader()),
				MigrationSettings.of(MigrationSettings.DEFAULT_CHANGE_LOG));
	}

}
