package dev.lockstep.sample;

import java.nio.file.Files;
import java.nio.file.Path;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import dev.lockstep.sample.Catalog.State;
import dev.lockstep.sample.SampleJar.Run;
import dev.lockstep.test.TestDatabase;
import dev.lockstep.test.TestDatabases;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Every command that must refuse does so before touching anything: one clear line on stderr, exit code 3, and
 * the database exactly as it was (schema, history, and not one DDL statement run).
 * <p>
 * Runs on a changelog of its own, given with {@code --migrations.change-log=file:...}, so the sample's changelog
 * stays the real one.
 */
class MigrationsRefusalsIT {

	private static final String NOTES = """
			databaseChangeLog:
			  - changeSet:
			      id: notes-1-create
			      author: test
			      changes:
			        - createTable:
			            tableName: notes
			            columns:
			              - column: {name: id, type: bigint, autoIncrement: true, constraints: {primaryKey: true, nullable: false}}
			              - column: {name: body, type: %s}
			  - changeSet:
			      id: notes-2-raw-index
			      author: test
			      comment: raw SQL and no rollback block, so Liquibase cannot undo it
			      changes:
			        - sql:
			            sql: CREATE INDEX notes_body_idx ON notes (body)
			  - changeSet:
			      id: notes-3-tag
			      author: test
			      changes:
			        - tagDatabase: {tag: notes-1.0}
			  - changeSet:
			      id: notes-4-title
			      author: test
			      changes:
			        - addColumn:
			            tableName: notes
			            columns:
			              - column: {name: title, type: varchar(100)}
			""";

	private static final String NOTES_NEXT = """
			  - changeSet:
			      id: notes-5-done
			      author: test
			      changes:
			        - addColumn:
			            tableName: notes
			            columns:
			              - column: {name: done, type: boolean}
			""";

	@TempDir
	Path directory;

	@Test
	void everyRefusalLeavesTheDatabaseAsItWas() throws Exception {
		TestDatabase database = TestDatabases.create();
		Catalog catalog = new Catalog(database);
		SampleJar jar = new SampleJar(this.directory.resolve("work"));
		Path changeLog = this.directory.resolve("notes.yaml");
		Files.writeString(changeLog, NOTES.formatted("varchar(500)"));
		String useNotes = "--migrations.change-log=file:" + changeLog.toAbsolutePath();

		jar.migrations(database, "update", "--to-tag=notes-1.0", useNotes).exits(0);
		assertThat(catalog.historyIds()).containsExactly("notes-1-create", "notes-2-raw-index", "notes-3-tag");
		catalog.recordDdl();

		// update --to-tag of a tag the changelog does not declare: notes-4 is pending, and stays so.
		State before = catalog.state();
		Run undeclared = jar.migrations(database, "update", "--to-tag=notes-9.9", useNotes).exits(3);
		assertThat(undeclared.errorLine()).isEqualTo("migrations update: The changelog has no tagDatabase changeset "
				+ "with tag 'notes-9.9'. Nothing was changed. | What to do: Use a tag the changelog declares (a "
				+ "tagDatabase change), or --count.");
		assertUnchanged(catalog, before);

		jar.migrations(database, "update", useNotes).exits(0);
		assertThat(catalog.historyIds()).endsWith("notes-4-title");
		catalog.takeDdl();
		before = catalog.state();

		// A changeset in the range has no rollback: refused before notes-4-title (which could be undone) is touched.
		Run noRollback = jar.migrations(database, "rollback", "--count=3", useNotes).exits(3);
		assertThat(noRollback.errorLine())
			.startsWith("migrations rollback: Cannot roll back 3 changeset(s): notes-2-raw-index::test (")
			.contains("has no rollback block and its sql change(s) cannot be undone automatically. Nothing was changed.",
					"| What to do: Add a rollback block to the changesets named");
		assertUnchanged(catalog, before);
		Run noRollbackSql = jar.migrations(database, "rollback-sql", "--count=3", useNotes).exits(3);
		assertThat(noRollbackSql.errorLine()).contains("notes-2-raw-index", "has no rollback block");
		assertUnchanged(catalog, before);

		Run noSuchTag = jar.migrations(database, "rollback", "--to-tag=v0.9", useNotes).exits(3);
		assertThat(noSuchTag.errorLine()).isEqualTo("migrations rollback: Tag 'v0.9' does not exist in the history. "
				+ "Nothing was changed. | What to do: Tags in the history, newest first: v1.5.0, notes-1.0.");
		assertUnchanged(catalog, before);

		Run tooMany = jar.migrations(database, "rollback", "--count=5", useNotes).exits(3);
		assertThat(tooMany.errorLine()).isEqualTo("migrations rollback: Cannot roll back 5 changeset(s): only 4 are "
				+ "applied. Nothing was changed. | What to do: Use --count=4 or less, or --to-tag.");
		assertUnchanged(catalog, before);

		// Someone edited a changeset that already ran (and added a new one): update refuses, the new one waits.
		Files.writeString(changeLog, NOTES.formatted("varchar(1000)") + NOTES_NEXT);
		Run drifted = jar.migrations(database, "update", useNotes).exits(3);
		assertThat(drifted.errorLine()).startsWith("migrations update: The schema does not match the changelog "
				+ "(state DRIFTED).")
			.contains("Modified after they ran (checksum differs): notes-1-create::test (", ": stored 9:",
					"| What to do: Changesets must not be edited after they ran");
		assertUnchanged(catalog, before);
		assertThat(catalog.historyIds()).doesNotContain("notes-5-done");

		Run check = jar.migrations(database, "check", useNotes).exits(1);
		assertThat(check.stdout()).contains("State       DRIFTED", "Modified after they ran (checksum differs): 1",
				"NOT UP TO DATE (DRIFTED)");
		assertUnchanged(catalog, before);
	}

	private static void assertUnchanged(Catalog catalog, State before) {
		assertThat(catalog.state()).as("schema and history after a refusal").isEqualTo(before);
		assertThat(catalog.takeDdl()).as("DDL run by a refused command").isEmpty();
	}

}
