package dev.lockstep.core;

import dev.lockstep.core.api.AppliedChangeSet;
import dev.lockstep.core.problem.MigrationException;
import dev.lockstep.core.api.MigrationSettings;
import dev.lockstep.core.api.RollbackPlan;
import dev.lockstep.core.api.RollbackTarget;
import dev.lockstep.core.api.InvalidTargetException;
import dev.lockstep.core.problem.Wording;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.List;
import java.util.TimeZone;

import liquibase.resource.DirectoryResourceAccessor;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import dev.lockstep.core.test.TestDatabase;
import dev.lockstep.core.test.TestDatabases;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

/**
 * How a rollback is planned (by count, to a tag, to a moment) on a real history, and which rollbacks are refused
 * before anything runs.
 * <p>
 * The history: {@code c1}, {@code c2} (tagged {@code mid} by {@code migrations tag}), {@code v1} (a tagDatabase
 * changeset), {@code c3}, {@code c4}; applied at 09:00, 09:01, 09:02, 10:00 and 10:01 UTC on 2026-01-01.
 */
class RollbackPlannerTests {

	private static final String C1 = table("c1", "t1");

	private static final String C2 = table("c2", "t2");

	private static final String V1 = """
			  - changeSet:
			      id: v1
			      author: t
			      changes:
			        - tagDatabase: {tag: v1}
			""";

	private static final String C3 = table("c3", "t3");

	private static final String C4 = table("c4", "t4");

	/** Raw SQL without a rollback block: Liquibase cannot undo it. */
	private static final String RAW = """
			  - changeSet:
			      id: raw
			      author: t
			      changes:
			        - sql: {sql: CREATE TABLE t_raw (id int)}
			""";

	@TempDir
	Path dir;

	private TestDatabase db;

	@BeforeEach
	void setUp() throws IOException {
		this.db = TestDatabases.create();
		writeChangeLog(C1, C2);
		engine().apply();
		commands().tag("mid");
		writeChangeLog(C1, C2, V1, C3, C4);
		engine().apply();
		setAppliedAt("c1", "2026-01-01 09:00:00");
		setAppliedAt("c2", "2026-01-01 09:01:00");
		setAppliedAt("v1", "2026-01-01 09:02:00");
		setAppliedAt("c3", "2026-01-01 10:00:00");
		setAppliedAt("c4", "2026-01-01 10:01:00");
	}

	@Test
	void aCountUndoesThatManyOfTheNewestNewestFirst() {
		assertThat(planned(RollbackTarget.count(1))).containsExactly("c4");
		assertThat(planned(RollbackTarget.count(2))).containsExactly("c4", "c3");
		assertThat(planned(RollbackTarget.count(5))).containsExactly("c4", "c3", "v1", "c2", "c1");
	}

	/** Names options as {@code migrations <command>} spells them, like the command line's wording. */
	private static final Wording COMMAND_LINE = new Wording() {

		@Override
		public String setting(Wording.Setting setting) {
			return Wording.NEUTRAL.setting(setting);
		}

		@Override
		public String option(Wording.Option option) {
			return "--" + Wording.NEUTRAL.option(option);
		}

		@Override
		public String command(Wording.Command command, String arguments, boolean full) {
			return Wording.NEUTRAL.command(command, arguments, full);
		}

	};

	@Test
	void aCountPastTheStartOfTheHistoryIsRefusedNamingHowManyAreApplied() {
		assertThatExceptionOfType(MigrationException.class)
			.isThrownBy(() -> commands().rollback(RollbackTarget.count(6)))
			.withMessage("Cannot roll back 6 changeset(s): only 5 are applied. Nothing was changed.")
			.satisfies((ex) -> {
				// The core names options neutrally; the command line names them as it spells them.
				assertThat(ex.action()).isEqualTo("Use count=5 or less, or to-tag.");
				assertThat(ex.action(COMMAND_LINE)).isEqualTo("Use --count=5 or less, or --to-tag.");
			});
		assertHistory("c1", "c2", "v1", "c3", "c4");
	}

	@Test
	void aCountBelowOneOrTwoTargetsAtOnceAreNotATarget() {
		assertThatIllegalArgumentException().isThrownBy(() -> RollbackTarget.count(0))
			.withMessage("The count must be at least 1, not 0");
		assertThatExceptionOfType(InvalidTargetException.class).isThrownBy(() -> new RollbackTarget(1, "v1", null))
			.withMessage("Give exactly one of a count, a tag or a date")
			.satisfies((ex) -> assertThat(ex.reason()).isEqualTo(InvalidTargetException.Reason.NOT_EXACTLY_ONE));
		assertThatExceptionOfType(InvalidTargetException.class).isThrownBy(() -> new RollbackTarget(null, null, null))
			.satisfies((ex) -> assertThat(ex.reason()).isEqualTo(InvalidTargetException.Reason.NOT_EXACTLY_ONE));
	}

	@Test
	void toATagSetByTagDatabaseUndoesWhatCameAfterAndTheTaggingChangeSet() {
		// As Liquibase does: a later update applies the tagDatabase changeset, and so the tag, again.
		assertThat(planned(RollbackTarget.toTag("v1"))).containsExactly("c4", "c3", "v1");
	}

	@Test
	void toATagSetByTheTagCommandUndoesOnlyWhatCameAfter() {
		assertThat(planned(RollbackTarget.toTag("mid"))).containsExactly("c4", "c3", "v1");
		assertThat(planned(RollbackTarget.toTag("MID"))).as("tags match ignoring case")
			.containsExactly("c4", "c3", "v1");
		commands().tag("latest");
		assertThat(planned(RollbackTarget.toTag("latest"))).isEmpty();
	}

	@Test
	void toATagDatabaseChangeSetThatKeepsItsTagUndoesOnlyWhatCameAfter() throws IOException {
		writeChangeLog(C1, C2, V1.replace("{tag: v1}", "{tag: v1, keepTagOnRollback: true}"), C3, C4);
		assertThat(planned(RollbackTarget.toTag("v1"))).containsExactly("c4", "c3");
	}

	@Test
	void anUnknownTagIsRefusedListingTheTagsThereAre() {
		assertThatExceptionOfType(MigrationException.class)
			.isThrownBy(() -> commands().rollback(RollbackTarget.toTag("v9")))
			.withMessage("Tag 'v9' does not exist in the history. Nothing was changed.")
			.satisfies((ex) -> assertThat(ex.action()).isEqualTo("Tags in the history, newest first: v1, mid."));
		assertHistory("c1", "c2", "v1", "c3", "c4");
	}

	@Test
	void toAMomentUndoesWhatWasAppliedAfterIt() {
		assertThat(planned(RollbackTarget.toDate(Instant.parse("2026-01-01T09:30:00Z")))).containsExactly("c4", "c3");
		assertThat(planned(RollbackTarget.toDate(Instant.parse("2026-01-01T10:00:00Z")))).as("not the row at the moment")
			.containsExactly("c4");
		assertThat(planned(RollbackTarget.toDate(Instant.parse("2026-01-01T08:00:00Z")))).hasSize(5);
		assertThat(planned(RollbackTarget.toDate(Instant.parse("2026-01-01T12:00:00Z")))).isEmpty();
	}

	@Test
	void aMomentIsTheSameWithAnyOffsetAndInAnyZoneOfThisJvm() {
		Instant withOffset = OffsetDateTime.parse("2026-01-01T11:30:00+02:00").toInstant();
		TimeZone zone = TimeZone.getDefault();
		try {
			TimeZone.setDefault(TimeZone.getTimeZone("Pacific/Kiritimati"));
			assertThat(planned(RollbackTarget.toDate(withOffset))).containsExactly("c4", "c3");
			TimeZone.setDefault(TimeZone.getTimeZone("America/Los_Angeles"));
			assertThat(planned(RollbackTarget.toDate(withOffset))).containsExactly("c4", "c3");
		}
		finally {
			TimeZone.setDefault(zone);
		}
	}

	@Test
	void aMomentUndoesTheRowsStampedAfterItEvenWhenTheirTimesAreOutOfOrder() {
		// c3 recorded as if before c1, as a tool in another time zone would have written it. Liquibase orders the
		// history by time (DATEEXECUTED, then ORDEREXECUTED), and so does the plan: the rollback by count that
		// carries it out undoes the same rows.
		setAppliedAt("c3", "2026-01-01 08:00:00");
		assertThat(planned(RollbackTarget.toDate(Instant.parse("2026-01-01T08:30:00Z")))).containsExactly("c4", "v1",
				"c2", "c1");
		assertThat(planned(RollbackTarget.count(4))).containsExactly("c4", "v1", "c2", "c1");
	}

	@Test
	void aChangeSetLiquibaseCannotUndoIsRefusedBeforeAnythingRuns() throws IOException {
		writeChangeLog(C1, C2, V1, C3, C4, RAW);
		engine().apply();
		assertThatExceptionOfType(MigrationException.class)
			.isThrownBy(() -> commands().rollback(RollbackTarget.count(3)))
			.withMessageStartingWith("Cannot roll back 3 changeset(s): \n  - raw::t")
			.withMessageContaining("has no rollback block and its sql change(s) cannot be undone automatically")
			.satisfies((ex) -> assertThat(ex.action()).startsWith("Add a rollback block"));
		assertHistory("c1", "c2", "v1", "c3", "c4", "raw");
		assertThat(this.db.tableExists("t4")).isTrue();
		assertThat(this.db.tableExists("t_raw")).isTrue();
		assertThatExceptionOfType(MigrationException.class)
			.isThrownBy(() -> commands().planRollback(RollbackTarget.toTag("v1")))
			.withMessageContaining("raw::t");
	}

	@Test
	void aChangeSetThatIsNotInTheChangeLogIsRefused() throws IOException {
		writeChangeLog(C1, C2, V1, C3);
		assertThatExceptionOfType(MigrationException.class)
			.isThrownBy(() -> commands().planRollback(RollbackTarget.count(1)))
			.withMessageContaining("c4::t (")
			.withMessageContaining("is not in this changelog, so how to undo it is unknown");
	}

	@Test
	void thePlannedRollbackRunsAndRemovesExactlyThePlannedRows() {
		RollbackPlan plan = commands().rollback(RollbackTarget.toTag("v1"));
		assertThat(plan.changeSets()).extracting(AppliedChangeSet::id).containsExactly("c4", "c3", "v1");
		assertHistory("c1", "c2");
		assertThat(this.db.tableExists("t4")).isFalse();
		assertThat(this.db.tableExists("t3")).isFalse();
		assertThat(this.db.tableExists("t2")).isTrue();
	}

	private List<String> planned(RollbackTarget target) {
		return commands().planRollback(target).changeSets().stream().map(AppliedChangeSet::id).toList();
	}

	private void assertHistory(String... ids) {
		assertThat(this.db.rows("SELECT id FROM databasechangelog ORDER BY orderexecuted"))
			.extracting((row) -> row.get(0))
			.containsExactly(ids);
	}

	private void setAppliedAt(String id, String utcWallClock) {
		this.db.execute("UPDATE databasechangelog SET dateexecuted = TIMESTAMP '" + utcWallClock + "' WHERE id = '"
				+ id + "'");
	}

	private MigrationEngine engine() {
		try {
			return new MigrationEngine(this.db.dataSource(), new DirectoryResourceAccessor(this.dir),
					MigrationSettings.of("master.yaml"));
		}
		catch (IOException ex) {
			throw new IllegalStateException(ex);
		}
	}

	private MigrationCommands commands() {
		return new MigrationCommands(engine());
	}

	private void writeChangeLog(String... changeSets) throws IOException {
		Files.writeString(this.dir.resolve("master.yaml"), "databaseChangeLog:\n" + String.join("", changeSets));
	}

	private static String table(String id, String table) {
		return """
				  - changeSet:
				      id: %s
				      author: t
				      changes:
				        - createTable:
				            tableName: %s
				            columns:
				              - column: {name: id, type: int}
				""".formatted(id, table);
	}

}
