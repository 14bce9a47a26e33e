package dev.lockstep.autoconfigure;

import java.util.HashMap;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.core.env.StandardEnvironment;
import org.springframework.core.env.SystemEnvironmentPropertySource;

import dev.lockstep.core.MigrationEngine;
import dev.lockstep.core.api.MigrationMode;
import dev.lockstep.core.api.RunOutcome;
import dev.lockstep.core.api.RunResult;
import dev.lockstep.core.api.SchemaState;
import dev.lockstep.core.problem.SchemaMismatchException;
import dev.lockstep.test.TestDatabase;
import dev.lockstep.test.TestDatabases;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The modes, switched the ways users switch them (properties, profiles, environment variables), in real
 * applications on a real PostgreSQL.
 */
@ExtendWith(OutputCaptureExtension.class)
class MigrationsModeTests {

	private static final String HISTORY = "SELECT id, author, filename, md5sum, deployment_id, tag FROM databasechangelog "
			+ "ORDER BY orderexecuted";

	@Test
	void applyAppliesPendingChangesetsAndLogsEachOne(CapturedOutput output) {
		TestDatabase db = TestDatabases.create();
		try (ConfigurableApplicationContext context = TestApps.run(db)) {
			RunResult result = context.getBean(MigrationsInitializer.class).getResult();
			assertThat(result.mode()).isEqualTo(MigrationMode.APPLY);
			assertThat(result.outcome()).isEqualTo(RunOutcome.SUCCESS);
			assertThat(result.applied()).isEqualTo(3);
		}
		assertThat(db.rows("SELECT id FROM databasechangelog ORDER BY orderexecuted"))
			.containsExactly(List.of("1-create-customers"), List.of("2-create-orders"), List.of("3-add-email"));
		assertThat(db.count("SELECT count(*) FROM information_schema.columns WHERE table_name = 'customers' "
				+ "AND column_name = 'email'")).isOne();
		assertThat(output).contains("[1/3] changeset 1-create-customers::ana (db/changelog/db.changelog-master.yaml)")
			.contains("[3/3] changeset 3-add-email::ben (db/changelog/db.changelog-master.yaml)")
			.contains("Applied 3 changeset(s)");
		// A second instance finds nothing to do.
		try (ConfigurableApplicationContext context = TestApps.run(db)) {
			assertThat(context.getBean(MigrationsInitializer.class).getResult().applied()).isZero();
		}
		assertThat(db.count("SELECT count(*) FROM databasechangelog")).isEqualTo(3);
	}

	@Test
	void validateStartsWhenUpToDate() {
		TestDatabase db = TestDatabases.create();
		TestApps.run(db).close();
		List<List<String>> history = db.rows(HISTORY);
		try (ConfigurableApplicationContext context = TestApps.run(db, "migrations.mode=validate")) {
			RunResult result = context.getBean(MigrationsInitializer.class).getResult();
			assertThat(result.mode()).isEqualTo(MigrationMode.VALIDATE);
			assertThat(result.outcome()).isEqualTo(RunOutcome.VALIDATED);
		}
		assertThat(db.rows(HISTORY)).isEqualTo(history);
	}

	@Test
	void validateRefusesToStartWithPendingChangesets(CapturedOutput output) {
		TestDatabase db = TestDatabases.create();
		Throwable failure = TestApps.fail(db, "migrations.mode=validate");
		assertThat(failure).hasRootCauseInstanceOf(SchemaMismatchException.class);
		assertThat(TestApps.failureReport(output)).contains("state PENDING")
			.contains("Pending (not applied yet): 3")
			.contains("1-create-customers::ana (db/changelog/db.changelog-master.yaml)")
			.contains("2-create-orders::ana")
			.contains("3-add-email::ben")
			.contains("Action:")
			.contains("migrations update");
		assertThat(db.tableExists("databasechangelog")).as("validate creates no history table").isFalse();
		assertThat(db.tableExists("customers")).isFalse();
	}

	@Test
	void validateStartsWithAWarningWhenTheDatabaseIsAheadAfterAnApplicationRollback(CapturedOutput output) {
		TestDatabase db = TestDatabases.create();
		// Version 2 ran, then version 1 (without 4-add-phone) is deployed again.
		TestApps.run(db, "migrations.change-log=classpath:db/v2/changelog.yaml").close();
		List<List<String>> history = db.rows(HISTORY);
		try (ConfigurableApplicationContext context = TestApps.run(db, "migrations.mode=validate")) {
			RunResult result = context.getBean(MigrationsInitializer.class).getResult();
			assertThat(result.outcome()).isEqualTo(RunOutcome.VALIDATED);
			assertThat(context.getBean(MigrationEngine.class).status().state()).isEqualTo(SchemaState.AHEAD);
		}
		assertThat(output).contains("The database is ahead of this changelog: 1 changeset(s) were applied after "
				+ "everything it declares")
			.contains("4-add-phone::cy (db/v2/changelog.yaml)");
		assertThat(db.rows(HISTORY)).isEqualTo(history);
	}

	@Test
	void validateRefusesToStartWhenAnAppliedChangesetWasModified(CapturedOutput output) {
		TestDatabase db = TestDatabases.create();
		TestApps.run(db).close();
		List<List<String>> history = db.rows(HISTORY);
		Throwable failure = TestApps.fail(db, "migrations.mode=validate",
				"migrations.change-log=classpath:db/modified/changelog.yaml");
		assertThat(failure).hasRootCauseInstanceOf(SchemaMismatchException.class);
		String storedChecksum = history.get(2).get(3);
		assertThat(TestApps.failureReport(output)).contains("state DRIFTED")
			.contains("Modified after they ran (checksum differs):")
			.contains("3-add-email::ben (db/changelog/db.changelog-master.yaml): stored " + storedChecksum + ", now ")
			.doesNotContain("1-create-customers")
			// applying would not help: apply refuses edited changesets too
			.contains("Changesets must not be edited after they ran")
			.doesNotContain("migrations update");
		assertThat(db.rows(HISTORY)).isEqualTo(history);
	}

	@Test
	void validateAndReportCreateNothingWithAChangelogThatIncludesFiles(CapturedOutput output) {
		// Liquibase's parser initializes (creates) the history table for each include it parses.
		TestDatabase db = TestDatabases.create();
		String v2 = "migrations.change-log=classpath:db/v2/changelog.yaml";
		TestApps.fail(db, "migrations.mode=validate", v2);
		assertThat(TestApps.failureReport(output)).contains("Pending (not applied yet): 4");
		assertThat(db.tableExists("databasechangelog")).as("validate created the history table").isFalse();
		TestApps.run(db, "migrations.mode=report", v2).close();
		assertThat(db.tableExists("databasechangelog")).as("report created the history table").isFalse();
		assertThat(db.tableExists("databasechangeloglock")).isFalse();
		// and apply still reads the history while parsing, as plain Liquibase does
		TestApps.run(db, v2).close();
		TestApps.run(db, "migrations.mode=validate", v2).close();
		assertThat(db.count("SELECT count(*) FROM databasechangelog")).isEqualTo(4);
	}

	@Test
	void reportStartsWithPendingChangesetsAndChangesNothing(CapturedOutput output) {
		TestDatabase db = TestDatabases.create();
		try (ConfigurableApplicationContext context = TestApps.run(db, "migrations.mode=report")) {
			RunResult result = context.getBean(MigrationsInitializer.class).getResult();
			assertThat(result.mode()).isEqualTo(MigrationMode.REPORT);
			assertThat(result.applied()).isZero();
			assertThat(context.getBean(MigrationEngine.class).status().state()).isEqualTo(SchemaState.PENDING);
		}
		assertThat(output).contains("Schema does not match the changelog (report mode changes nothing)")
			.contains("Pending (not applied yet): 3");
		assertThat(db.tableExists("databasechangelog")).isFalse();
		assertThat(db.tableExists("databasechangeloglock")).isFalse();
		assertThat(db.tableExists("customers")).isFalse();
	}

	@Test
	void reportStartsWhenTheDatabaseIsAheadOrModifiedAndChangesNothing(CapturedOutput output) {
		TestDatabase ahead = TestDatabases.create();
		TestApps.run(ahead, "migrations.change-log=classpath:db/v2/changelog.yaml").close();
		List<List<String>> aheadHistory = ahead.rows(HISTORY);
		try (ConfigurableApplicationContext context = TestApps.run(ahead, "migrations.mode=report")) {
			assertThat(context.getBean(MigrationEngine.class).status().state()).isEqualTo(SchemaState.AHEAD);
		}
		assertThat(ahead.rows(HISTORY)).isEqualTo(aheadHistory);

		TestDatabase modified = TestDatabases.create();
		TestApps.run(modified).close();
		List<List<String>> modifiedHistory = modified.rows(HISTORY);
		try (ConfigurableApplicationContext context = TestApps.run(modified, "migrations.mode=report",
				"migrations.change-log=classpath:db/modified/changelog.yaml")) {
			assertThat(context.getBean(MigrationEngine.class).status().state()).isEqualTo(SchemaState.DRIFTED);
		}
		assertThat(modified.rows(HISTORY)).isEqualTo(modifiedHistory);
		assertThat(output).contains("Modified after they ran (checksum differs):");
	}

	@Test
	void reportStartsEvenWhenTheDatabaseIsUnreachable(CapturedOutput output) {
		String url = "jdbc:postgresql://127.0.0.1:" + TestApps.closedPort() + "/app";
		try (ConfigurableApplicationContext context = TestApps.application()
			.run(TestApps.arguments(null, true, "spring.datasource.url=" + url, "spring.datasource.username=app",
					"spring.datasource.password=s3cret", "migrations.mode=report"))) {
			RunResult result = context.getBean(MigrationsInitializer.class).getResult();
			assertThat(result.mode()).isEqualTo(MigrationMode.REPORT);
			assertThat(result.outcome()).isEqualTo(RunOutcome.FAILED);
			assertThat(result.error()).contains(url);
		}
		assertThat(output).contains("Could not read the schema's status (report mode starts anyway)")
			.contains(url)
			.doesNotContain("s3cret");
	}

	@Test
	void disabledDoesNothingAtAll() {
		TestDatabase db = TestDatabases.create();
		try (ConfigurableApplicationContext context = TestApps.run(db, "migrations.enabled=false")) {
			assertThat(context.getBeansOfType(MigrationEngine.class)).isEmpty();
			assertThat(context.getBeansOfType(MigrationsInitializer.class)).isEmpty();
		}
		assertThat(db.tableExists("databasechangelog")).isFalse();
		assertThat(db.tableExists("databasechangeloglock")).isFalse();
		assertThat(db.tableExists("customers")).isFalse();
	}

	@Test
	void prodProfileValidatesAndRefusesToStartWithPendingChangesets(CapturedOutput output) {
		TestDatabase db = TestDatabases.create();
		Throwable failure = TestApps.fail(db, "spring.profiles.active=prod");
		assertThat(failure).hasRootCauseInstanceOf(SchemaMismatchException.class);
		assertThat(TestApps.failureReport(output)).contains("Pending (not applied yet): 3");
		assertThat(db.tableExists("databasechangelog")).isFalse();
	}

	@Test
	void environmentVariableSwitchesItOff() {
		TestDatabase db = TestDatabases.create();
		SpringApplication application = TestApps.application();
		application.setEnvironment(environmentWith(Map.of("MIGRATIONS_ENABLED", "false")));
		try (ConfigurableApplicationContext context = application.run(TestApps.arguments(db, true))) {
			assertThat(context.getBeansOfType(MigrationsInitializer.class)).isEmpty();
		}
		assertThat(db.tableExists("databasechangelog")).isFalse();
		assertThat(db.tableExists("customers")).isFalse();
	}

	@Test
	void environmentVariableSetsTheMode(CapturedOutput output) {
		TestDatabase db = TestDatabases.create();
		SpringApplication application = TestApps.application();
		application.setEnvironment(environmentWith(Map.of("MIGRATIONS_MODE", "validate")));
		TestApps.startupFailure(application, TestApps.arguments(db, true));
		assertThat(TestApps.failureReport(output)).contains("Pending (not applied yet): 3");
	}

	@Test
	void tagMarksTheDatabaseAfterAnApply() {
		TestDatabase db = TestDatabases.create();
		try (ConfigurableApplicationContext context = TestApps.run(db, "migrations.tag=v1.0.0")) {
			assertThat(context.getBean(MigrationEngine.class).status().currentTag()).isEqualTo("v1.0.0");
		}
		assertThat(db.rows("SELECT id, tag FROM databasechangelog ORDER BY orderexecuted DESC LIMIT 1"))
			.containsExactly(List.of("3-add-email", "v1.0.0"));
	}

	/** The process environment, plus the given variables, as the operating system would pass them. */
	private static StandardEnvironment environmentWith(Map<String, String> variables) {
		StandardEnvironment environment = new StandardEnvironment();
		Map<String, Object> merged = new HashMap<>(environment.getSystemEnvironment());
		merged.putAll(variables);
		environment.getPropertySources()
			.replace(StandardEnvironment.SYSTEM_ENVIRONMENT_PROPERTY_SOURCE_NAME, new SystemEnvironmentPropertySource(
					StandardEnvironment.SYSTEM_ENVIRONMENT_PROPERTY_SOURCE_NAME, merged));
		return environment;
	}

}
