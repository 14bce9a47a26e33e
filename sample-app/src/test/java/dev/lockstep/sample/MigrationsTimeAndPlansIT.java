package dev.lockstep.sample;

import java.nio.file.Path;
import java.time.Instant;
import java.time.ZoneId;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import dev.lockstep.sample.Catalog.State;
import dev.lockstep.sample.SampleJar.Run;
import dev.lockstep.test.TestDatabase;
import dev.lockstep.test.TestDatabases;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Times are instants whatever the JVM's zone ({@code rollback --to-date} from another zone undoes exactly what ran
 * after that moment; a date without an offset is refused), and every changing command prints its plan first, with
 * {@code --dry-run} printing only the plan: on the packaged sample, one JVM per command.
 */
class MigrationsTimeAndPlansIT {

	private static final String CUSTOMERS = "2024-01-create-customers";

	private static final String ORDERS = "2024-01-create-orders";

	private static final String TAG_V1_0_0 = "2024-01-tag-v1.0.0";

	private static final String EMAIL = "2024-06-add-email";

	private static final String DROP_NAME = "2025-04-drop-customer-name";

	private static final String TAG_V1_5_0 = "2025-04-tag-v1.5.0";

	@TempDir
	Path workingDirectory;

	/**
	 * Release 1.0.0 applied from a JVM in UTC, the rest from one in Tokyo; rolled back from New York to the moment
	 * between: only the changesets applied after it are undone, the tables of release 1.0.0 stay.
	 */
	@Test
	void rollbackToDateFromAnotherZoneUndoesOnlyWhatRanAfterThatMoment() {
		TestDatabase database = TestDatabases.create();
		Catalog catalog = new Catalog(database);
		SampleJar utc = new SampleJar(this.workingDirectory).withJvmOptions("-Duser.timezone=UTC");
		SampleJar tokyo = new SampleJar(this.workingDirectory).withJvmOptions("-Duser.timezone=Asia/Tokyo");
		SampleJar newYork = new SampleJar(this.workingDirectory).withJvmOptions("-Duser.timezone=America/New_York");

		Instant start = Instant.now();
		utc.migrations(database, "update", "--to-tag=v1.0.0").exits(0);
		Instant release1 = Instant.now();
		tokyo.migrations(database, "update").exits(0);
		Instant end = Instant.now();
		assertThat(catalog.historyIds()).hasSize(13);

		// Shown from New York: the moments they ran, not hours off.
		JsonNode history = JsonMapper.builder()
			.build()
			.readTree(newYork.migrations(database, "history", "--format=json").exits(0).stdout());
		assertThat(appliedAt(history, CUSTOMERS)).isBetween(start, release1);
		assertThat(appliedAt(history, TAG_V1_5_0)).isBetween(release1, end);

		// The plan first, and with --dry-run only the plan.
		State before = catalog.state();
		Run dryRun = newYork.migrations(database, "rollback", "--to-date=" + release1, "--dry-run").exits(0);
		assertThat(dryRun.stdout()).contains("Plan: undo 10 changeset(s) (back to " + release1 + "), newest first:",
				TAG_V1_5_0, DROP_NAME, EMAIL, "Dry run: nothing was changed.")
			.doesNotContain(TAG_V1_0_0, ORDERS, CUSTOMERS);
		assertThat(catalog.state()).isEqualTo(before);

		// The same moment, written the way an operator in New York writes it.
		String inNewYork = release1.atZone(ZoneId.of("America/New_York")).toOffsetDateTime().toString();
		assertThat(inNewYork).matches(".*-0[45]:00");
		Run rollback = newYork.migrations(database, "rollback", "--to-date=" + inNewYork).exits(0);
		assertThat(rollback.stdout()).contains("Plan: undo 10 changeset(s)", "Rolled back 10 changeset(s)");
		assertThat(rollback.stdout().indexOf("Plan: undo")).isLessThan(rollback.stdout().indexOf("Rolled back"));
		assertThat(catalog.historyIds()).containsExactly(CUSTOMERS, ORDERS, TAG_V1_0_0);
		assertThat(database.tableExists("customers")).isTrue();
		assertThat(database.tableExists("orders")).isTrue();
	}

	@Test
	void aDateWithoutAnOffsetIsRefusedNamingTheFormToUse() {
		TestDatabase database = TestDatabases.create();
		Catalog catalog = new Catalog(database);
		SampleJar jar = new SampleJar(this.workingDirectory).withJvmOptions("-Duser.timezone=America/New_York");
		jar.migrations(database, "update").exits(0);
		State before = catalog.state();

		for (String command : List.of("rollback", "rollback-sql")) {
			Run local = jar.migrations(database, command, "--to-date=2026-11-25T10:15:30").exits(2);
			assertThat(local.errorLine()).isEqualTo("migrations " + command + ": --to-date=2026-11-25T10:15:30 has no "
					+ "time zone offset: give the moment with its offset, e.g. --to-date=2026-11-25T10:15:30Z (UTC) "
					+ "or --to-date=2026-11-25T10:15:30+01:00.");
		}
		Run day = jar.migrations(database, "rollback", "--to-date=2024-01-01").exits(2);
		assertThat(day.errorLine()).contains("--to-date=2024-01-01 has no time zone offset",
				"--to-date=2024-01-01T00:00:00Z (UTC)");
		assertThat(catalog.state()).isEqualTo(before);
	}

	@Test
	void everyChangingCommandPrintsItsPlanFirstAndDryRunChangesNothing() {
		TestDatabase database = TestDatabases.create();
		Catalog catalog = new Catalog(database);
		SampleJar jar = new SampleJar(this.workingDirectory);

		Run all = jar.migrations(database, "update", "--dry-run").exits(0);
		assertThat(all.stdout()).contains("Plan: apply 13 changeset(s), in this order:", CUSTOMERS, TAG_V1_5_0)
			.endsWith("Dry run: nothing was changed.\n");
		Run count = jar.migrations(database, "update", "--count=2", "--dry-run").exits(0);
		assertThat(count.stdout()).contains("Plan: apply 2 changeset(s) (--count=2), in this order:", CUSTOMERS,
				ORDERS).doesNotContain(TAG_V1_0_0);
		Run toTag = jar.migrations(database, "update", "--to-tag=v1.0.0", "--dry-run").exits(0);
		assertThat(toTag.stdout()).contains("Plan: apply 3 changeset(s) (up to tag v1.0.0)", TAG_V1_0_0)
			.doesNotContain(EMAIL);
		Run json = jar.migrations(database, "update", "--dry-run", "--format=json").exits(0);
		JsonNode plan = JsonMapper.builder().build().readTree(json.stdout());
		assertThat(plan.path("dryRun").asBoolean()).isTrue();
		assertThat(plan.path("plan")).hasSize(13);
		Run baseline = jar.migrations(database, "baseline", "--force", "--dry-run").exits(0);
		assertThat(baseline.stdout())
			.contains("Plan: record 13 changeset(s) as applied without running them, in this order:")
			.endsWith("Dry run: nothing was changed.\n");
		catalog.assertNoHistoryTables();
		assertThat(catalog.schema()).isEmpty();

		Run first = jar.migrations(database, "update", "--count=2").exits(0);
		assertThat(first.stdout().indexOf("Plan: apply 2 changeset(s) (--count=2)")).isNotNegative()
			.isLessThan(first.stdout().indexOf("Applied 2 changeset(s)"));
		Run rest = jar.migrations(database, "update").exits(0);
		assertThat(rest.stdout().indexOf("Plan: apply 11 changeset(s), in this order:")).isNotNegative()
			.isLessThan(rest.stdout().indexOf("[1/11] changeset " + TAG_V1_0_0));

		State head = catalog.state();
		for (String[] dryRun : List.of(new String[] { "rollback", "--count=2" },
				new String[] { "rollback", "--to-tag=v1.0.0" },
				new String[] { "rollback", "--to-date=" + catalog.historyRow(CUSTOMERS).executedAt() },
				new String[] { "update" }, new String[] { "update", "--count=1" },
				new String[] { "baseline", "--force" })) {
			String[] args = java.util.Arrays.copyOf(dryRun, dryRun.length + 1);
			args[dryRun.length] = "--dry-run";
			Run run = jar.migrations(database, args).exits(0);
			assertThat(run.stdout()).as(run.command()).startsWith("Plan: ")
				.endsWith("Dry run: nothing was changed.\n");
			assertThat(catalog.state()).as(run.command()).isEqualTo(head);
		}
		Run upToDate = jar.migrations(database, "update", "--dry-run").exits(0);
		assertThat(upToDate.stdout()).startsWith("Plan: nothing to apply.");
	}

	private static Instant appliedAt(JsonNode history, String id) {
		for (JsonNode row : history) {
			if (row.path("id").asString().equals(id)) {
				return Instant.parse(row.path("appliedAt").asString());
			}
		}
		throw new AssertionError(id + " not in " + history);
	}

}
