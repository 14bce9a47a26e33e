package dev.lockstep.sample;

import java.nio.file.Path;
import java.sql.Connection;
import java.util.ArrayList;
import java.util.List;

import liquibase.resource.DirectoryResourceAccessor;
import org.junit.jupiter.api.Test;

import dev.lockstep.core.MigrationCommands;
import dev.lockstep.core.MigrationEngine;
import dev.lockstep.core.api.LintFailOn;
import dev.lockstep.core.api.LintFinding;
import dev.lockstep.core.api.LintSeverity;
import dev.lockstep.core.api.MigrationSettings;
import dev.lockstep.core.api.PendingSql;
import dev.lockstep.core.api.UpdateTarget;
import dev.lockstep.core.lint.Linter;
import dev.lockstep.core.lint.LiveTables;
import dev.lockstep.core.test.TestDatabase;
import dev.lockstep.core.test.TestDatabases;
import dev.lockstep.sample.Releases.Release;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The sample's releases are written the safe way: linted release by release against a database where the earlier
 * releases were applied and the tables hold rows, with every table with rows counted as large (so any finding
 * would be an error), nothing is found that the changesets do not allow with a reason.
 */
class ReleasesLintTest {

	/** The sample's own changelog (the autoconfigure test-jar has a master changelog at the same path). */
	private static MigrationEngine sampleEngine(TestDatabase db) throws Exception {
		Path release = Path.of(ReleasesLintTest.class.getClassLoader()
			.getResource("db/changelog/releases/v1.0.0.yaml")
			.toURI());
		return new MigrationEngine(db.dataSource(),
				new DirectoryResourceAccessor(release.getParent().getParent().getParent().getParent()),
				MigrationSettings.of(Releases.MASTER));
	}

	@Test
	void everyReleaseLintsCleanOnTablesWithRows() throws Exception {
		TestDatabase db = TestDatabases.create();
		MigrationEngine engine = sampleEngine(db);
		engine.configureLint(1, LintFailOn.WARNING);
		MigrationCommands commands = new MigrationCommands(engine);
		List<String> linted = new ArrayList<>();
		for (Release release : Releases.all()) {
			List<PendingSql> pending = engine.lint();
			assertThat(pending).as("pending before %s", release.version()).isNotEmpty();
			for (PendingSql changeSet : pending) {
				List<LintFinding> findings = changeSet.findings();
				assertThat(findings).as("findings of %s before %s is applied", changeSet.changeSet().id(),
						release.version()).isEmpty();
				linted.add(changeSet.changeSet().id());
			}
			// fail-on=warning: the apply itself lints what it runs and would refuse on any finding.
			commands.update(UpdateTarget.toTag(release.version()));
			if (release.version().equals("v1.0.0")) {
				db.execute("INSERT INTO customers (name) SELECT 'customer ' || g FROM generate_series(1, 500) g");
				db.execute("INSERT INTO orders (customer_id, total_cents) SELECT g % 500 + 1, g FROM "
						+ "generate_series(1, 5000) g");
			}
			db.execute("ANALYZE customers");
			db.execute("ANALYZE orders");
		}
		assertThat(engine.status().pending()).isEmpty();
		assertThat(linted).contains("2024-09-add-order-status", "2025-02-add-customer-full-name",
				"2025-04-drop-customer-name");
	}

	@Test
	void withoutItsSuppressionsTheContractStepIsAnError() throws Exception {
		// The rules do find what the suppressions allow: the comments are what keeps the releases clean.
		TestDatabase db = TestDatabases.create();
		MigrationEngine engine = sampleEngine(db);
		engine.configureLint(1, LintFailOn.NEVER);
		new MigrationCommands(engine).update(UpdateTarget.toTag("v1.4.0"));
		db.execute("INSERT INTO customers (name, full_name) SELECT 'c' || g, 'c' || g FROM generate_series(1, 50) g");
		db.execute("ANALYZE customers");
		PendingSql contract = engine.lint()
			.stream()
			.filter((changeSet) -> changeSet.changeSet().id().equals("2025-04-drop-customer-name"))
			.findFirst()
			.orElseThrow();
		assertThat(contract.comments()).contains("lockstep:allow breaking-rename-drop -- the contract step");
		assertThat(contract.findings()).isEmpty();
		try (Connection connection = db.connect()) {
			List<LintFinding> bare = new Linter(1)
				.lint(List.of(new Linter.Input("bare", contract.sql(), contract.runInTransaction(), null)),
						new LiveTables(connection))
				.get("bare");
			assertThat(bare).extracting(LintFinding::rule)
				.containsExactlyInAnyOrder("set-not-null", "breaking-rename-drop", "backfill-with-ddl");
			assertThat(bare).extracting(LintFinding::severity).containsOnly(LintSeverity.ERROR);
		}
	}

}
