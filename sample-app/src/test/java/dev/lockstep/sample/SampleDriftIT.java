package dev.lockstep.sample;

import java.nio.file.Path;
import java.util.List;

import liquibase.resource.ClassLoaderResourceAccessor;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import dev.lockstep.core.MigrationEngine;
import dev.lockstep.core.api.DriftChange;
import dev.lockstep.core.api.DriftObject;
import dev.lockstep.core.api.DriftReport;
import dev.lockstep.core.api.DriftState;
import dev.lockstep.core.api.MigrationSettings;
import dev.lockstep.test.TestDatabase;
import dev.lockstep.test.TestDatabases;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;

/**
 * No false alarms through the sample's packaged jar: its releases applied one by one, a restart, rollbacks and a
 * re-apply each leave a schema that matches what the migrations recorded. A hand change made before a release is
 * still reported after the release is applied, and nothing the release changed is.
 */
class SampleDriftIT {

	@TempDir
	Path workingDirectory;

	@Test
	void releasesRestartsRollbacksAndReapplyNeverShowDrift() {
		TestDatabase database = TestDatabases.create();
		SampleJar jar = new SampleJar(this.workingDirectory);
		MigrationEngine checker = checker(database);

		jar.migrations(database, "update", "--to-tag=v1.1.0").exits(0);
		assertClean(checker, "after release 1.1.0");
		long recorded = recordVersion(database);

		// A hotfix index made by hand, then release 1.2.0 (a column, its default and NOT NULL on orders).
		database.execute("CREATE INDEX customers_email_hotfix ON customers (email)");
		List<DriftObject> handChange = checker.checkDrift().objects();
		assertThat(handChange).extracting(DriftObject::type, DriftObject::name, DriftObject::change)
			.containsExactly(tuple("index", "customers_email_hotfix", DriftChange.ADDED));
		jar.migrations(database, "update", "--to-tag=v1.2.0").exits(0);
		assertThat(recordVersion(database)).as("the release recorded").isGreaterThan(recorded);
		DriftReport afterRelease = checker.checkDrift();
		assertThat(afterRelease.state()).isEqualTo(DriftState.DRIFT);
		assertThat(afterRelease.objects()).as("the hand change stays, what release 1.2.0 changed is not drift")
			.containsExactlyElementsOf(handChange);
		assertThat(recordDescription(database)).contains("column\torders.status\t")
			.doesNotContain("customers_email_hotfix");
		database.execute("DROP INDEX customers_email_hotfix");
		assertClean(checker, "after the hotfix index was dropped");

		// The rest (1.3.0's index built concurrently, 1.4.0's expand, 1.5.0's contract); then a restart.
		jar.migrations(database, "update").exits(0);
		assertClean(checker, "at the head");
		long atHead = recordVersion(database);
		assertThat(jar.start(database).ready()).isTrue();
		assertClean(checker, "after a restart");
		assertThat(recordVersion(database)).as("a restart that applied nothing").isEqualTo(atHead);

		jar.migrations(database, "rollback", "--to-tag=v1.3.0").exits(0);
		assertThat(recordVersion(database)).as("the rollback recorded").isGreaterThan(atHead);
		assertClean(checker, "after rolling back to v1.3.0");
		assertThat(recordDescription(database)).contains("column\tcustomers.name\t")
			.doesNotContain("customers.full_name");

		jar.migrations(database, "rollback", "--count=8").exits(0);
		assertClean(checker, "after rolling everything back");
		assertThat(database.count("SELECT object_count FROM lockstep_schema_record")).isZero();

		jar.migrations(database, "update").exits(0);
		assertClean(checker, "after the re-apply");
		assertThat(jar.start(database).ready()).isTrue();
		assertClean(checker, "after a restart of the re-applied database");
		System.out.printf("[sample drift] %d objects recorded at the head%n",
				database.count("SELECT object_count FROM lockstep_schema_record"));
	}

	private static void assertClean(MigrationEngine checker, String when) {
		DriftReport report = checker.checkDrift();
		assertThat(report.objects()).as("drift %s", when).isEmpty();
		assertThat(report.state()).as("drift %s: %s", when, report).isEqualTo(DriftState.CLEAN);
	}

	private static long recordVersion(TestDatabase database) {
		return database.count("SELECT version FROM lockstep_schema_record");
	}

	private static String recordDescription(TestDatabase database) {
		return database.rows("SELECT description FROM lockstep_schema_record").get(0).get(0);
	}

	/** An engine of the test's own JVM on the same database, used only to check drift as another instance would. */
	private static MigrationEngine checker(TestDatabase database) {
		return new MigrationEngine(database.dataSource(), new ClassLoaderResourceAccessor(),
				MigrationSettings.of(Releases.MASTER));
	}

}
