package dev.lockstep.autoconfigure;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import tools.jackson.databind.JsonNode;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;

import dev.lockstep.command.MigrationsWording;
import dev.lockstep.core.problem.SchemaMismatchException;
import dev.lockstep.test.ChangeLogFile;
import dev.lockstep.test.RunningApp.Response;
import dev.lockstep.test.RunningApp;
import dev.lockstep.test.TestDatabase;
import dev.lockstep.test.TestDatabases;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Rolling deploys and application rollbacks with instances in {@code validate}: a database merely ahead of an
 * instance's changelog (changesets applied after all it declares) starts with a warning; anything else that
 * differs still refuses. Real applications, a real PostgreSQL, real HTTP.
 */
@ExtendWith(OutputCaptureExtension.class)
class ValidateAheadTests {

	private static final String PHONE = """
			  - changeSet:
			      id: 4-add-phone
			      author: cy
			      changes:
			        - addColumn:
			            tableName: customers
			            columns:
			              - column: {name: phone, type: varchar(40)}
			""";

	/** A changeset applied once, then deleted from the changelog. */
	private static final String HOTFIX = """
			  - changeSet:
			      id: 1b-hotfix
			      author: ops
			      changes:
			        - createTable:
			            tableName: hotfix
			            columns:
			              - column: {name: id, type: bigint}
			""";

	private static final String HISTORY = "SELECT id, author, filename, md5sum, orderexecuted FROM databasechangelog "
			+ "ORDER BY orderexecuted";

	private static final String VALIDATE = "migrations.mode=validate";

	@TempDir
	Path dir;

	@Test
	void previousVersionStartsDuringARolloutAfterCiAppliedTheNewChangesets(CapturedOutput output) {
		TestDatabase db = TestDatabases.create();
		ChangeLogFile changeLog = ChangeLogFile.in(this.dir);
		// Version 1 is live.
		changeLog.write(ChangeLogFile.CUSTOMERS, ChangeLogFile.ORDERS).applyTo(db);
		// The deploy job applies version 2's changesets before the rollout ('migrations update').
		changeLog.write(ChangeLogFile.CUSTOMERS, ChangeLogFile.ORDERS, ChangeLogFile.EMAIL, PHONE).applyTo(db);
		List<List<String>> history = db.rows(HISTORY);
		// A version 1 pod restarts during the rollout.
		changeLog.write(ChangeLogFile.CUSTOMERS, ChangeLogFile.ORDERS);
		try (RunningApp v1 = RunningApp.start(db, changeLog.property(), VALIDATE)) {
			assertAheadAndReady(v1, "3-add-email", "4-add-phone");
		}
		assertThat(output).contains("The database is ahead of this changelog: 2 changeset(s) were applied after "
				+ "everything it declares")
			.contains("3-add-email::ben (" + path(changeLog) + ")")
			.contains("4-add-phone::cy (" + path(changeLog) + ")");
		assertThat(db.rows(HISTORY)).as("validate changes nothing").isEqualTo(history);
	}

	@Test
	void previousVersionStartsAfterAnApplicationRollback(CapturedOutput output) {
		TestDatabase db = TestDatabases.create();
		ChangeLogFile changeLog = ChangeLogFile.in(this.dir);
		changeLog.write(ChangeLogFile.CUSTOMERS, ChangeLogFile.ORDERS).applyTo(db);
		// Version 2 is deployed with an instance in apply mode and applies its changeset at startup ...
		changeLog.write(ChangeLogFile.CUSTOMERS, ChangeLogFile.ORDERS, ChangeLogFile.EMAIL);
		try (RunningApp v2 = RunningApp.start(db, changeLog.property())) {
			assertThat(v2.json("/actuator/migrations").path("state").asString()).isEqualTo("UP_TO_DATE");
		}
		List<List<String>> history = db.rows(HISTORY);
		// ... then the application is rolled back to version 1, whose instances run in validate mode.
		changeLog.write(ChangeLogFile.CUSTOMERS, ChangeLogFile.ORDERS);
		try (RunningApp v1 = RunningApp.start(db, changeLog.property(), VALIDATE)) {
			assertAheadAndReady(v1, "3-add-email");
		}
		assertThat(output).contains("The database is ahead of this changelog: 1 changeset(s)")
			.contains("3-add-email::ben (" + path(changeLog) + ")");
		assertThat(db.rows(HISTORY)).isEqualTo(history);
	}

	@Test
	void unknownChangesetBetweenKnownOnesStillRefuses() {
		TestDatabase db = TestDatabases.create();
		ChangeLogFile changeLog = ChangeLogFile.in(this.dir);
		changeLog.write(ChangeLogFile.CUSTOMERS, HOTFIX, ChangeLogFile.ORDERS).applyTo(db);
		// The hotfix changeset was deleted from the changelog: no newer version vouches for it.
		changeLog.write(ChangeLogFile.CUSTOMERS, ChangeLogFile.ORDERS);
		Throwable failure = RunningApp.failToStart(db, changeLog.property(), VALIDATE);
		assertThat(failure).hasRootCauseInstanceOf(SchemaMismatchException.class);
		assertThat(rootMessage(failure)).contains("state AHEAD")
			.contains("1b-hotfix::ops")
			.contains("sit between changesets this changelog declares");
	}

	@Test
	void aheadRefusesWhenAllowAheadIsFalse() {
		TestDatabase db = TestDatabases.create();
		ChangeLogFile changeLog = ChangeLogFile.in(this.dir);
		changeLog.write(ChangeLogFile.CUSTOMERS, ChangeLogFile.ORDERS, ChangeLogFile.EMAIL).applyTo(db);
		changeLog.write(ChangeLogFile.CUSTOMERS, ChangeLogFile.ORDERS);
		Throwable failure = RunningApp.failToStart(db, changeLog.property(), VALIDATE,
				"migrations.validate.allow-ahead=false");
		assertThat(failure).hasRootCauseInstanceOf(SchemaMismatchException.class);
		assertThat(rootMessage(failure)).contains("state AHEAD")
			.contains("3-add-email::ben")
			.contains("allowAhead=false");
		// The core names the setting neutrally; the failure report names the property.
		Throwable root = failure;
		while (root.getCause() != null) {
			root = root.getCause();
		}
		assertThat(((SchemaMismatchException) root).message(MigrationsWording.INSTANCE))
			.contains("migrations.validate.allow-ahead=false");
	}

	@Test
	void pendingChangesetStillRefusesWhenTheDatabaseIsAlsoAhead() {
		// Two branches: the database has another release's changeset, and this changelog one the database lacks.
		TestDatabase db = TestDatabases.create();
		ChangeLogFile changeLog = ChangeLogFile.in(this.dir);
		changeLog.write(ChangeLogFile.CUSTOMERS, ChangeLogFile.ORDERS, PHONE).applyTo(db);
		changeLog.write(ChangeLogFile.CUSTOMERS, ChangeLogFile.ORDERS, ChangeLogFile.EMAIL);
		Throwable failure = RunningApp.failToStart(db, changeLog.property(), VALIDATE);
		assertThat(failure).hasRootCauseInstanceOf(SchemaMismatchException.class);
		assertThat(rootMessage(failure)).contains("state PENDING")
			.contains("Pending (not applied yet): 1")
			.contains("3-add-email::ben")
			.contains("4-add-phone::cy");
		assertThat(db.tableExists("databasechangelog")).isTrue();
		assertThat(db.count("SELECT count(*) FROM databasechangelog")).isEqualTo(3);
	}

	@Test
	void checksumMismatchStillRefusesWhenTheDatabaseIsAlsoAhead() {
		TestDatabase db = TestDatabases.create();
		ChangeLogFile changeLog = ChangeLogFile.in(this.dir);
		changeLog.write(ChangeLogFile.CUSTOMERS, ChangeLogFile.ORDERS, ChangeLogFile.EMAIL).applyTo(db);
		changeLog.write(ChangeLogFile.CUSTOMERS_EDITED, ChangeLogFile.ORDERS);
		Throwable failure = RunningApp.failToStart(db, changeLog.property(), VALIDATE);
		assertThat(failure).hasRootCauseInstanceOf(SchemaMismatchException.class);
		assertThat(rootMessage(failure)).contains("state DRIFTED")
			.contains("Modified after they ran (checksum differs):")
			.contains("1-create-customers::ana");
	}

	private static void assertAheadAndReady(RunningApp app, String... unexpected) {
		JsonNode status = app.json("/actuator/migrations");
		assertThat(status.path("state").asString()).isEqualTo("AHEAD");
		assertThat(status.path("mode").asString()).isEqualTo("validate");
		assertThat(status.path("pending")).isEmpty();
		assertThat(status.path("checksumMismatches")).isEmpty();
		List<String> ids = new ArrayList<>();
		status.path("unexpected").forEach((changeSet) -> ids.add(changeSet.path("id").asString()));
		assertThat(ids).containsExactly(unexpected);
		Response health = app.get("/actuator/health/migrations");
		assertThat(health.status()).as(health.body()).isEqualTo(200);
		JsonNode details = health.json().path("details");
		assertThat(health.json().path("status").asString()).isEqualTo("UP");
		assertThat(details.path("state").asString()).isEqualTo("AHEAD");
		assertThat(details.path("unexpected").asInt()).isEqualTo(unexpected.length);
		assertThat(details.path("note").asString()).contains("applied after those it declares");
	}

	private static String path(ChangeLogFile changeLog) {
		return changeLog.location();
	}

	private static String rootMessage(Throwable failure) {
		Throwable root = failure;
		while (root.getCause() != null) {
			root = root.getCause();
		}
		return root.getMessage();
	}

}
