package dev.lockstep.autoconfigure;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;

import liquibase.integration.spring.SpringResourceAccessor;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.context.ApplicationContext;
import org.springframework.core.io.DefaultResourceLoader;

import dev.lockstep.command.CommandExecutor;
import dev.lockstep.command.MigrationsCommandRunner;
import dev.lockstep.core.DriftStatus;
import dev.lockstep.core.MigrationEngine;
import dev.lockstep.core.MigrationMonitor;
import dev.lockstep.core.api.DriftState;
import dev.lockstep.core.api.MigrationSettings;
import dev.lockstep.core.problem.MigrationException;
import dev.lockstep.test.ContextRunners;
import dev.lockstep.test.TestDatabase;
import dev.lockstep.test.TestDatabases;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Tests for {@link MigrationsDriftAutoConfiguration} (the background checks exist only where they should), the
 * startup check, a bad ignore pattern, and {@code migrations check} with drift.
 */
@ExtendWith(OutputCaptureExtension.class)
class MigrationsDriftAutoConfigurationTests {

	private static TestDatabase db;

	@BeforeAll
	static void database() {
		db = TestDatabases.create();
		migrate(db);
	}

	/** The test changelog applied outside any application: up to date, with a record of the schema. */
	static void migrate(TestDatabase database) {
		new MigrationEngine(database.dataSource(), new SpringResourceAccessor(new DefaultResourceLoader()),
				MigrationSettings.of("classpath:db/changelog/db.changelog-master.yaml"))
			.apply();
	}

	private ApplicationContextRunner runner() {
		return ContextRunners.onTheEngine(db, MigrationsDriftAutoConfiguration.class);
	}

	@Test
	void scheduleEveryTenMinutesByDefaultAndAStartupCheck() {
		runner().run((context) -> {
			assertThat(context).hasSingleBean(MigrationsDriftSchedule.class);
			MigrationsDriftSchedule schedule = context.getBean(MigrationsDriftSchedule.class);
			assertThat(schedule.getInterval()).isEqualTo(Duration.ofMinutes(10));
			assertThat(schedule.isRunning()).isTrue();
			assertThat(context.getBean(MigrationMonitor.class).drift().state()).as("checked at startup")
				.isEqualTo(DriftState.CLEAN);
			context.close();
			assertThat(schedule.isRunning()).as("stopped with the context").isFalse();
		});
	}

	@Test
	void scheduleFollowsTheInterval() {
		runner().withPropertyValues("migrations.drift.interval=30s")
			.run((context) -> assertThat(context.getBean(MigrationsDriftSchedule.class).getInterval())
				.isEqualTo(Duration.ofSeconds(30)));
	}

	@Test
	void scheduleChecksInTheBackgroundOnOneDaemonThreadThatEndsWithTheContext() {
		TestDatabase changed = TestDatabases.create();
		migrate(changed);
		ContextRunners.onTheEngine(changed, MigrationsDriftAutoConfiguration.class)
			.withPropertyValues("migrations.drift.interval=200ms")
			.run((context) -> {
				MigrationMonitor monitor = context.getBean(MigrationMonitor.class);
				assertThat(monitor.drift().state()).isEqualTo(DriftState.CLEAN);
				changed.execute("ALTER TABLE orders ADD COLUMN note text");
				// Nothing else asks for drift here: only the schedule can find it.
				await().atMost(Duration.ofSeconds(10)).until(() -> monitor.drift().hasDrift());
				assertThat(driftThreads()).singleElement()
					.satisfies((thread) -> assertThat(thread.isDaemon()).isTrue());
				context.close();
				await().atMost(Duration.ofSeconds(5)).until(() -> driftThreads().isEmpty());
			});
	}

	private static List<Thread> driftThreads() {
		return Thread.getAllStackTraces()
			.keySet()
			.stream()
			.filter((thread) -> thread.getName().equals("lockstep-drift") && thread.isAlive())
			.toList();
	}

	@Test
	void noScheduleWithIntervalZeroButStillAStartupCheck() {
		runner().withPropertyValues("migrations.drift.interval=0").run((context) -> {
			assertThat(context).hasNotFailed().doesNotHaveBean(MigrationsDriftSchedule.class);
			assertThat(context.getBean(MigrationMonitor.class).drift().state()).isEqualTo(DriftState.CLEAN);
		});
	}

	@Test
	void noScheduleWithDriftSwitchedOffAndTheStartupCheckSaysSo() {
		runner().withPropertyValues("migrations.drift.enabled=false").run((context) -> {
			assertThat(context).hasNotFailed().doesNotHaveBean(MigrationsDriftSchedule.class);
			DriftStatus drift = context.getBean(MigrationMonitor.class).drift();
			assertThat(drift.state()).isEqualTo(DriftState.DISABLED);
			assertThat(drift.objectCount()).isNaN();
		});
	}

	@Test
	void noScheduleWithMigrationsSwitchedOff() {
		runner().withPropertyValues("migrations.enabled=false")
			.run((context) -> assertThat(context).hasNotFailed()
				.doesNotHaveBean(MigrationMonitor.class)
				.doesNotHaveBean(MigrationsDriftSchedule.class));
	}

	@Test
	void noScheduleAndNoCheckInACommandRun() {
		runner().withPropertyValues("lockstep.command=status").run((context) -> {
			assertThat(context).hasNotFailed()
				.hasSingleBean(MigrationMonitor.class)
				.doesNotHaveBean(MigrationsDriftSchedule.class);
			assertThat(context.getBean(MigrationMonitor.class).drift()).isNull();
		});
	}

	@Test
	void invalidIgnorePatternFailsStartupWithOneClearMessage(CapturedOutput output) {
		Throwable failure = TestApps.fail(db, "migrations.drift.ignore=index:*_tmp,indx:foo");
		assertThat(failure).hasRootCauseInstanceOf(MigrationException.class);
		assertThat(TestApps.failureReport(output))
			.contains("Lockstep migrations: The drift ignore pattern 'indx:foo' (in migrations.drift.ignore) names "
					+ "no kind of object Lockstep compares")
			.contains("Action:")
			.contains("Write each pattern as kind:name, e.g. index:*_tmp or table:audit_*");
	}

	@Test
	void checkCommandFailsOnDriftAndListsTheObjects() {
		TestDatabase drifted = TestDatabases.create();
		migrate(drifted);
		ApplicationContextRunner check = ContextRunners
			.onTheEngine(drifted, MigrationsCommandAutoConfiguration.class)
			.withPropertyValues("lockstep.command=check");
		check.run((context) -> {
			Output clean = execute(context, "migrations", "check");
			assertThat(clean.code()).as(clean.out()).isEqualTo(CommandExecutor.OK);
			assertThat(clean.out()).contains("Drift: none", "OK: the schema matches the changelog.");
		});

		drifted.execute("ALTER TABLE orders ADD COLUMN note text");
		check.run((context) -> {
			Output result = execute(context, "migrations", "check");
			assertThat(result.code()).as(result.out()).isEqualTo(CommandExecutor.NOT_UP_TO_DATE);
			assertThat(result.out()).contains("State       SCHEMA_DRIFT")
				.contains("Drift: 1 object(s) differ from what the migrations made")
				.containsPattern("column +orders\\.note +added +- +text null")
				.contains("SCHEMA DRIFT: the live schema differs from what the migrations made");
			Output json = execute(context, "migrations", "check", "--format=json");
			assertThat(json.code()).isEqualTo(CommandExecutor.NOT_UP_TO_DATE);
			assertThat(json.out()).contains("\"state\":\"SCHEMA_DRIFT\"")
				.contains("\"drift\":{\"state\":\"DRIFT\"")
				.contains("\"objects\":1");
			// status reads the history only, as before.
			Output status = execute(context, "migrations", "status");
			assertThat(status.code()).isEqualTo(CommandExecutor.OK);
			assertThat(status.out()).doesNotContain("Drift");
		});

		// A check that cannot compare says why and leaves the verdict to the history.
		drifted.execute("DROP TABLE lockstep_schema_record");
		check.run((context) -> {
			Output result = execute(context, "migrations", "check");
			assertThat(result.code()).as(result.out()).isEqualTo(CommandExecutor.OK);
			assertThat(result.out()).contains("Drift: not compared (NO_RECORD): No Lockstep run has recorded");
		});
	}

	private static Output execute(ApplicationContext context, String... args) {
		ByteArrayOutputStream out = new ByteArrayOutputStream();
		ByteArrayOutputStream err = new ByteArrayOutputStream();
		int code = context.getBean(MigrationsCommandRunner.class)
			.execute(List.of(args), new PrintStream(out, true, StandardCharsets.UTF_8),
					new PrintStream(err, true, StandardCharsets.UTF_8));
		return new Output(code, out.toString(StandardCharsets.UTF_8) + err.toString(StandardCharsets.UTF_8));
	}

	private record Output(int code, String out) {
	}

}
