package dev.lockstep.autoconfigure;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.springframework.boot.context.properties.bind.BindException;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;

import dev.lockstep.core.lock.LockKey;
import dev.lockstep.core.problem.ChangeLogException;
import dev.lockstep.core.problem.ChangeSetFailedException;
import dev.lockstep.core.problem.DatabaseUnavailableException;
import dev.lockstep.core.problem.LockTimeoutException;
import dev.lockstep.test.TestDatabase;
import dev.lockstep.test.TestDatabases;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Bad input and failing runs: what the user sees in Spring Boot's "APPLICATION FAILED TO START" report (written by
 * the FailureAnalyzers registered in spring.factories), and what is left in the database.
 */
@ExtendWith(OutputCaptureExtension.class)
class MigrationsFailureTests {

	@Test
	void failingChangesetIsNamedWithItsFileTheDatabaseErrorAndWhatRanBeforeItAndLeavesNothingBehind(
			CapturedOutput output) {
		TestDatabase db = TestDatabases.create();
		Throwable failure = TestApps.fail(db, "migrations.change-log=classpath:db/failing/changelog.yaml");
		ChangeSetFailedException changeSetFailed = cause(failure, ChangeSetFailedException.class);
		assertThat(changeSetFailed.appliedBefore()).isEqualTo(2);
		assertThat(changeSetFailed.rolledBack()).isTrue();
		assertThat(TestApps.failureReport(output)).contains("Lockstep migrations: Changeset 3-half-done::ben in "
				+ "db/failing/changelog.yaml failed: ERROR: type \"no_such_type\" does not exist")
			.contains("2 changeset(s) of this run were applied before it.")
			.contains("it left nothing behind")
			.contains("Action:")
			.contains("Fix changeset 3-half-done::ben in db/failing/changelog.yaml");
		assertThat(output).contains("[3/3] changeset 3-half-done::ben (db/failing/changelog.yaml) FAILED");
		assertThat(db.rows("SELECT id FROM databasechangelog ORDER BY orderexecuted"))
			.containsExactly(List.of("1-create-accounts"), List.of("2-create-invoices"));
		assertThat(db.tableExists("accounts")).isTrue();
		assertThat(db.tableExists("invoices")).isTrue();
		assertThat(db.tableExists("half_done")).as("the failed changeset's createTable was rolled back").isFalse();
		// and no lock is left behind
		assertThat(db.count("SELECT count(*) FROM databasechangeloglock WHERE locked")).isZero();
		assertThat(db.count("SELECT count(*) FROM pg_locks WHERE locktype = 'advisory'")).isZero();
	}

	@Test
	void missingChangelogIsNamedWithWhatToDo(CapturedOutput output) {
		TestDatabase db = TestDatabases.create();
		Throwable failure = TestApps.fail(db, "migrations.change-log=classpath:db/missing/changelog.yaml");
		assertThat(cause(failure, ChangeLogException.class).changeLog())
			.isEqualTo("classpath:db/missing/changelog.yaml");
		assertThat(TestApps.failureReport(output))
			.contains("Lockstep migrations: Changelog classpath:db/missing/changelog.yaml does not exist.")
			.contains("point migrations.change-log at your master changelog");
		assertThat(db.tableExists("databasechangelog")).isFalse();
	}

	@Test
	void missingIncludedChangelogIsNamedAndNothingIsCreated(CapturedOutput output) {
		TestDatabase db = TestDatabases.create();
		Throwable failure = TestApps.fail(db, "migrations.change-log=classpath:db/missing-include/changelog.yaml");
		assertThat(failure).satisfies((ex) -> cause(ex, ChangeLogException.class));
		assertThat(TestApps.failureReport(output))
			.contains("Lockstep migrations: Changelog classpath:db/missing-include/changelog.yaml cannot be read:")
			.contains("db/missing-include/v2-orders.yaml");
		assertThat(db.tableExists("databasechangelog")).isFalse();
		assertThat(db.tableExists("customers")).isFalse();
	}

	@Test
	void malformedChangelogIsNamedWithTheProblemAndNothingIsCreated(CapturedOutput output) {
		TestDatabase db = TestDatabases.create();
		Throwable failure = TestApps.fail(db, "migrations.change-log=classpath:db/malformed/changelog.yaml");
		assertThat(failure).satisfies((ex) -> cause(ex, ChangeLogException.class));
		assertThat(TestApps.failureReport(output))
			.contains("Lockstep migrations: Changelog classpath:db/malformed/changelog.yaml cannot be read:")
			// the YAML parser's own words, with the line
			.containsPattern("(?s)cannot be read: .*line 8")
			.contains("nothing was changed in the database");
		assertThat(db.tableExists("databasechangelog")).isFalse();
		assertThat(db.tableExists("databasechangeloglock")).isFalse();
		assertThat(db.tableExists("accounts")).isFalse();
	}

	@Test
	void unknownModeListsTheValidModes(CapturedOutput output) {
		TestDatabase db = TestDatabases.create();
		Throwable failure = TestApps.fail(db, "migrations.mode=upgrade");
		assertThat(cause(failure, BindException.class).getProperty().getName().toString())
			.isEqualTo("migrations.mode");
		assertThat(TestApps.failureReport(output)).contains("Invalid value 'upgrade' for migrations.mode")
			.contains("Set migrations.mode to one of: apply, validate, report.");
		assertThat(db.tableExists("databasechangelog")).isFalse();
	}

	@Test
	void badDurationSaysWhatADurationLooksLike(CapturedOutput output) {
		TestDatabase db = TestDatabases.create();
		Throwable failure = TestApps.fail(db, "migrations.lock.wait-timeout=5 minutes");
		assertThat(cause(failure, BindException.class).getProperty().getName().toString())
			.isEqualTo("migrations.lock.wait-timeout");
		assertThat(TestApps.failureReport(output))
			.contains("Invalid value '5 minutes' for migrations.lock.wait-timeout")
			.contains("Set migrations.lock.wait-timeout to a duration such as 500ms, 30s, 5m, 1h, or ISO-8601 like PT5M.");
	}

	@Test
	void unreachableDatabaseIsNamedWithoutCredentials(CapturedOutput output) {
		String url = "jdbc:postgresql://127.0.0.1:" + TestApps.closedPort() + "/app";
		Throwable failure = TestApps.startupFailure(TestApps.application(),
				TestApps.arguments(null, true, "spring.datasource.url=" + url + "?user=app&password=s3cret",
						"spring.datasource.username=app", "spring.datasource.password=s3cret"));
		assertThat(failure).satisfies((ex) -> cause(ex, DatabaseUnavailableException.class));
		assertThat(TestApps.failureReport(output))
			.contains("Lockstep migrations: Cannot read the database at " + url + ": ")
			.contains("Check that the database is running and reachable");
		assertThat(output).doesNotContain("s3cret");
	}

	@Test
	void lockWaitTimeoutNamesTheHolderAndChangesNothing(CapturedOutput output) throws Exception {
		TestDatabase db = TestDatabases.create();
		LockKey key = LockKey.forSchema("public");
		try (Connection holder = db.connect()) {
			// Another instance of Lockstep (encoded as Lockstep encodes itself) holds the lock.
			try (Statement statement = holder.createStatement()) {
				statement.execute("SET application_name = 'lockstep:4242@build-7:billing-service'");
			}
			try (PreparedStatement statement = holder.prepareStatement("SELECT pg_try_advisory_lock(?)")) {
				statement.setLong(1, key.value());
				try (ResultSet rows = statement.executeQuery()) {
					assertThat(rows.next() && rows.getBoolean(1)).as("the test holds the lock").isTrue();
				}
			}
			Throwable failure = TestApps.fail(db, "migrations.lock.wait-timeout=1s");
			LockTimeoutException timeout = cause(failure, LockTimeoutException.class);
			assertThat(timeout.holder().pid()).isEqualTo(4242L);
			assertThat(TestApps.failureReport(output))
				.contains("Lockstep migrations: Timed out after 1 s waiting for the migration lock held by "
						+ "billing-service (pid 4242 on build-7), since ")
				.contains("Nothing was changed.")
				.contains("raise migrations.lock.wait-timeout");
		}
		assertThat(db.tableExists("databasechangelog")).isFalse();
		assertThat(db.tableExists("customers")).isFalse();
	}

	private static <T extends Throwable> T cause(Throwable failure, Class<T> type) {
		for (Throwable candidate = failure; candidate != null; candidate = candidate.getCause()) {
			if (type.isInstance(candidate)) {
				return type.cast(candidate);
			}
		}
		throw new AssertionError("No " + type.getSimpleName() + " in the cause chain of " + failure, failure);
	}

}
