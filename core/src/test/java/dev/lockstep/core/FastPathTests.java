package dev.lockstep.core;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import liquibase.Scope;
import liquibase.changelog.ChangeLogParameters;
import liquibase.command.CommandScope;
import liquibase.database.Database;
import liquibase.database.DatabaseFactory;
import liquibase.database.jvm.JdbcConnection;
import liquibase.resource.DirectoryResourceAccessor;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.LoggerFactory;

import dev.lockstep.core.api.MigrationSettings;
import dev.lockstep.core.api.MigrationStatus;
import dev.lockstep.core.api.PendingChangeSet;
import dev.lockstep.core.api.RunOutcome;
import dev.lockstep.core.api.RunResult;
import dev.lockstep.core.api.SchemaState;
import dev.lockstep.core.problem.SchemaMismatchException;
import dev.lockstep.core.test.HeldLock;
import dev.lockstep.core.test.TestDatabase;
import dev.lockstep.core.test.TestDatabases;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

/**
 * Tries to fool the "up to date by fingerprint" shortcut: every change to the changelog, the filters, the
 * parameters or the history made after a verified run must be seen by the next (freshly created) engine.
 */
class FastPathTests {

	private static final String FAST = "Up to date by fingerprint";

	private static final String HEAD = "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
			+ "<databaseChangeLog xmlns=\"http://www.liquibase.org/xml/ns/dbchangelog\"\n"
			+ "  xmlns:xsi=\"http://www.w3.org/2001/XMLSchema-instance\"\n"
			+ "  xsi:schemaLocation=\"http://www.liquibase.org/xml/ns/dbchangelog "
			+ "http://www.liquibase.org/xml/ns/dbchangelog/dbchangelog-latest.xsd\">\n";

	private static final String TAIL = "</databaseChangeLog>\n";

	@TempDir
	Path dir;

	private TestDatabase db;

	private ListAppender<ILoggingEvent> log;

	private Logger logger;

	private Level previousLevel;

	@BeforeEach
	void setUp() throws Exception {
		this.db = TestDatabases.create();
		this.logger = (Logger) LoggerFactory.getLogger("dev.lockstep.Migrations");
		this.previousLevel = this.logger.getLevel();
		this.logger.setLevel(Level.DEBUG);
		this.log = new ListAppender<>();
		this.log.start();
		this.logger.addAppender(this.log);
		write("master.xml", HEAD + "  <include file=\"a.xml\"/>\n  <include file=\"b.xml\"/>\n"
				+ "  <includeAll path=\"all/\"/>\n"
				+ "  <changeSet id=\"sql1\" author=\"t\"><sqlFile path=\"sql/s.sql\"/></changeSet>\n"
				+ "  <include file=\"optional.xml\" errorIfMissing=\"false\"/>\n" + TAIL);
		write("a.xml", HEAD + changeSet("a1", "ta1", "") + changeSet("a2", "ta2", "context=\"prod\"") + TAIL);
		write("b.xml", HEAD + changeSet("b1", "tb1", "") + changeSet("b2", "tb2", "labels=\"extra\"")
				+ "  <changeSet id=\"b3\" author=\"t\"><createTable tableName=\"t_${table_suffix}\">"
				+ "<column name=\"id\" type=\"int\"/></createTable></changeSet>\n" + TAIL);
		write("all/001.xml", HEAD + changeSet("all1", "tall1", "") + TAIL);
		write("sql/s.sql", "CREATE TABLE ts (id int);\n");
	}

	@AfterEach
	void tearDown() {
		this.logger.detachAppender(this.log);
		this.logger.setLevel(this.previousLevel);
	}

	private static String changeSet(String id, String table, String attributes) {
		return "  <changeSet id=\"" + id + "\" author=\"t\" " + attributes + "><createTable tableName=\"" + table
				+ "\"><column name=\"id\" type=\"int\"/></createTable></changeSet>\n";
	}

	private void write(String name, String text) throws Exception {
		Path file = this.dir.resolve(name);
		Files.createDirectories(file.getParent());
		Files.writeString(file, text);
	}

	private MigrationSettings settings() {
		return new MigrationSettings("master.xml", "dev", "core", null, null, Map.of("table_suffix", "one"), null,
				null, "fast-path-test");
	}

	private MigrationEngine engine(MigrationSettings settings) throws Exception {
		return new MigrationEngine(this.db.dataSource(), new DirectoryResourceAccessor(this.dir), settings);
	}

	private MigrationEngine engine() throws Exception {
		return engine(settings());
	}

	private boolean answeredByFingerprint(Runnable action) {
		this.log.list.clear();
		action.run();
		return this.log.list.stream().anyMatch((event) -> event.getFormattedMessage().startsWith(FAST));
	}

	/** Applies the changelog and proves a new engine now takes the shortcut. */
	private void appliedAndVerified() throws Exception {
		RunResult first = engine().apply();
		assertThat(first.applied()).isEqualTo(5);
		assertThat(this.db.count("SELECT count(*) FROM LOCKSTEP_VERIFIED")).isGreaterThan(0);
		MigrationEngine second = engine();
		assertThat(answeredByFingerprint(() -> assertThat(second.status().state()).isEqualTo(SchemaState.UP_TO_DATE)))
			.isTrue();
		MigrationEngine third = engine();
		assertThat(answeredByFingerprint(() -> assertThat(third.apply().applied()).isZero())).isTrue();
	}

	private MigrationStatus freshStatus(MigrationSettings settings) throws Exception {
		MigrationEngine engine = engine(settings);
		MigrationStatus[] status = new MigrationStatus[1];
		assertThat(answeredByFingerprint(() -> status[0] = engine.status())).isFalse();
		return status[0];
	}

	private MigrationStatus freshStatus() throws Exception {
		return freshStatus(settings());
	}

	@Test
	void editedChangeSetIsDrifted() throws Exception {
		appliedAndVerified();
		write("a.xml", HEAD + changeSet("a1", "ta1_renamed", "") + changeSet("a2", "ta2", "context=\"prod\"") + TAIL);
		assertThat(freshStatus().state()).isEqualTo(SchemaState.DRIFTED);
		assertThatExceptionOfType(SchemaMismatchException.class).isThrownBy(() -> engine().apply());
		assertThat(freshStatus().state()).isEqualTo(SchemaState.DRIFTED);
	}

	@Test
	void changeSetAppendedToIncludedFileIsPendingAndApplied() throws Exception {
		appliedAndVerified();
		write("b.xml", Files.readString(this.dir.resolve("b.xml")).replace(TAIL, changeSet("b4", "tb4", "") + TAIL));
		pendingThenApplied("b4", "tb4");
		assertThat(answeredByFingerprint(() -> assertThat(uncheckedEngine().status().isUpToDate()).isTrue()))
			.isTrue();
	}

	@Test
	void fileDroppedIntoIncludeAllDirectoryIsPending() throws Exception {
		appliedAndVerified();
		write("all/002.xml", HEAD + changeSet("all2", "tall2", "") + TAIL);
		pendingThenApplied("all2", "tall2");
	}

	@Test
	void optionalIncludeThatAppearsLaterIsPending() throws Exception {
		appliedAndVerified();
		write("optional.xml", HEAD + changeSet("opt1", "topt1", "") + TAIL);
		pendingThenApplied("opt1", "topt1");
	}

	/** A new engine sees exactly this changeset pending (no shortcut taken) and applies it. */
	private void pendingThenApplied(String id, String table) throws Exception {
		MigrationStatus status = freshStatus();
		assertThat(status.state()).isEqualTo(SchemaState.PENDING);
		assertThat(status.pending()).extracting(PendingChangeSet::id).containsExactly(id);
		assertThat(engine().apply().applied()).isEqualTo(1);
		assertThat(this.db.tableExists(table)).isTrue();
	}

	@Test
	void changedSqlFileIsDrifted() throws Exception {
		appliedAndVerified();
		write("sql/s.sql", "CREATE TABLE ts (id bigint);\n");
		assertThat(freshStatus().state()).isEqualTo(SchemaState.DRIFTED);
		assertThatExceptionOfType(SchemaMismatchException.class).isThrownBy(() -> engine().apply());
	}

	@Test
	void changedContextsArePending() throws Exception {
		appliedAndVerified();
		MigrationSettings prod = settings().withContexts("prod");
		MigrationStatus status = freshStatus(prod);
		assertThat(status.state()).isEqualTo(SchemaState.PENDING);
		assertThat(status.pending()).extracting(PendingChangeSet::id).containsExactly("a2");
		assertThat(engine(prod).apply().applied()).isEqualTo(1);
		assertThat(this.db.tableExists("ta2")).isTrue();
		// Back to dev: the dev fingerprint no longer matches the history (it grew), so the full check runs.
		assertThat(freshStatus().state()).isEqualTo(SchemaState.UP_TO_DATE);
	}

	@Test
	void changedLabelFilterIsPending() throws Exception {
		appliedAndVerified();
		MigrationSettings extra = new MigrationSettings("master.xml", "dev", "extra", null, null,
				Map.of("table_suffix", "one"), null, null, "fast-path-test");
		MigrationStatus status = freshStatus(extra);
		assertThat(status.state()).isEqualTo(SchemaState.PENDING);
		assertThat(status.pending()).extracting(PendingChangeSet::id).containsExactly("b2");
		assertThat(engine(extra).apply().applied()).isEqualTo(1);
		assertThat(this.db.tableExists("tb2")).isTrue();
	}

	@Test
	void historyRowDeletedBySomeoneElseIsPending() throws Exception {
		appliedAndVerified();
		this.db.execute("DELETE FROM databasechangelog WHERE id = 'b1'");
		this.db.execute("DROP TABLE tb1");
		MigrationStatus status = freshStatus();
		assertThat(status.state()).isEqualTo(SchemaState.PENDING);
		assertThat(status.pending()).extracting(PendingChangeSet::id).containsExactly("b1");
		assertThat(engine().apply().applied()).isEqualTo(1);
	}

	@Test
	void historyChecksumChangedBySomeoneElseIsDrifted() throws Exception {
		appliedAndVerified();
		this.db.execute("UPDATE databasechangelog SET md5sum = '9:00000000000000000000000000000000' WHERE id = 'a1'");
		assertThat(freshStatus().state()).isEqualTo(SchemaState.DRIFTED);
		assertThatExceptionOfType(SchemaMismatchException.class).isThrownBy(() -> engine().apply());
	}

	@Test
	void foreignHistoryRowIsAhead() throws Exception {
		appliedAndVerified();
		this.db.execute("INSERT INTO databasechangelog (id, author, filename, dateexecuted, orderexecuted, exectype, "
				+ "md5sum, description) VALUES ('foreign', 'other', 'other.xml', now(), 99, 'EXECUTED', "
				+ "'9:11111111111111111111111111111111', 'foreign')");
		assertThat(freshStatus().state()).isEqualTo(SchemaState.AHEAD);
	}

	@Test
	void runAlwaysChangeSetRunsOnEveryUpdateAndIsNeverVouchedFor() throws Exception {
		write("all/002.xml", HEAD + "  <changeSet id=\"always\" author=\"t\" runAlways=\"true\">"
				+ "<sql>INSERT INTO ta1 (id) VALUES (1)</sql></changeSet>\n" + TAIL);
		assertThat(engine().apply().applied()).isEqualTo(6);
		assertThat(this.db.count("SELECT count(*) FROM ta1")).isEqualTo(1);
		// Plain Liquibase runs it again on every update; so must every apply, fingerprint or not.
		MigrationEngine second = engine();
		assertThat(answeredByFingerprint(() -> second.apply())).isFalse();
		assertThat(engine().apply().applied()).as("the runAlways changeset, run again").isEqualTo(1);
		assertThat(this.db.count("SELECT count(*) FROM ta1")).isEqualTo(3);
		assertThat(this.db.tableExists("lockstep_verified") ? this.db.count("SELECT count(*) FROM lockstep_verified")
				: 0).as("verifications stored").isZero();
	}

	@Test
	void changedParameterIsNotAnsweredByFingerprint() throws Exception {
		appliedAndVerified();
		MigrationSettings two = settings().withParameters(Map.of("table_suffix", "two"));
		MigrationStatus status = freshStatus(two);
		assertThat(status.state()).isNotEqualTo(SchemaState.UP_TO_DATE);
	}

	@Test
	void changedSystemPropertyParameterIsNotAnsweredByFingerprint() throws Exception {
		// Liquibase takes changelog parameters from system properties (and environment variables) too.
		System.setProperty("lockstep_fast_path_col", "c1");
		try {
			write("all/002.xml", HEAD + "  <changeSet id=\"sys1\" author=\"t\"><createTable tableName=\"tsys\">"
					+ "<column name=\"${lockstep_fast_path_col}\" type=\"int\"/></createTable></changeSet>\n" + TAIL);
			assertThat(engine().apply().applied()).isEqualTo(6);
			assertThat(answeredByFingerprint(() -> assertThat(uncheckedEngine().status().isUpToDate()).isTrue()))
				.isTrue();
			System.setProperty("lockstep_fast_path_col", "c2");
			assertThat(freshStatus().state()).isEqualTo(SchemaState.DRIFTED);
		}
		finally {
			System.clearProperty("lockstep_fast_path_col");
		}
	}

	@Test
	void editSeenByALongRunningEngineIsNotRememberedAsVerified() throws Exception {
		appliedAndVerified();
		MigrationEngine running = engine();
		// A full parse (the pending SQL is never answered by the fingerprint), as an application's endpoint does.
		assertThat(running.pendingSql()).isEmpty();
		write("a.xml", HEAD + changeSet("a1", "ta1_renamed", "") + changeSet("a2", "ta2", "context=\"prod\"") + TAIL);
		// The running engine keeps the changelog it parsed at start; whatever it says, it must not vouch for the
		// edited files.
		running.status();
		assertThat(freshStatus().state()).isEqualTo(SchemaState.DRIFTED);
	}

	@Test
	void waitingFollowerIsReleasedWhenThePendingChangeSetsAppearWithoutTakingTheLock() throws Exception {
		ExecutorService executor = Executors.newSingleThreadExecutor();
		try (HeldLock held = HeldLock.take(this.db)) {
			MigrationEngine follower = engine();
			Future<RunResult> waiting = executor.submit(follower::apply);
			// The follower waits for the lock (held by this test) until the history has what it found pending.
			plainLiquibaseUpdate();
			RunResult result = waiting.get(2, TimeUnit.MINUTES);
			assertThat(result.applied()).isZero();
			assertThat(result.outcome()).isEqualTo(RunOutcome.SUCCESS);
			assertThat(HeldLock.isHeld(this.db)).isTrue();
		}
		finally {
			executor.shutdownNow();
		}
		assertThat(freshStatus().state()).isEqualTo(SchemaState.UP_TO_DATE);
	}

	@Test
	void changeSetsAppliedByAnotherRunWhileThisOneWaitedAreSeenOnceItHasTheLock() throws Exception {
		// Another run applies part of what this one found pending while it waits: once it has the lock, its status
		// must be read again (not taken from before the lock), or it would refuse because those tables now exist.
		write("partial.xml", HEAD + "  <include file=\"a.xml\"/>\n" + TAIL);
		ExecutorService executor = Executors.newSingleThreadExecutor();
		try {
			Future<RunResult> waiting;
			try (HeldLock held = HeldLock.take(this.db)) {
				MigrationEngine follower = engine();
				waiting = executor.submit(follower::apply);
				long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(1);
				while (this.db.count("SELECT count(*) FROM pg_stat_activity WHERE application_name = 'lockstep-status' "
						+ "AND query LIKE 'SELECT ID, AUTHOR, FILENAME%'") == 0) {
					assertThat(System.nanoTime() - deadline).as("the follower waits for the lock").isNegative();
					Thread.sleep(20);
				}
				plainLiquibaseUpdate("partial.xml", 1);
			}
			RunResult result = waiting.get(2, TimeUnit.MINUTES);
			assertThat(result.outcome()).isEqualTo(RunOutcome.SUCCESS);
			assertThat(result.applied()).as("all but the one applied meanwhile").isEqualTo(4);
		}
		finally {
			executor.shutdownNow();
		}
		assertThat(engine().status().state()).isEqualTo(SchemaState.UP_TO_DATE);
	}

	private MigrationEngine uncheckedEngine() {
		try {
			return engine();
		}
		catch (Exception ex) {
			throw new IllegalStateException(ex);
		}
	}

	private void plainLiquibaseUpdate() throws Exception {
		plainLiquibaseUpdate("master.xml", 5);
	}

	private void plainLiquibaseUpdate(String changeLog, int expectedRows) throws Exception {
		try (Connection connection = this.db.connect()) {
			Database database = DatabaseFactory.getInstance()
				.findCorrectDatabaseImplementation(new JdbcConnection(connection));
			ChangeLogParameters parameters = new ChangeLogParameters(database);
			parameters.set("table_suffix", "one");
			Scope.child(Map.of(Scope.Attr.resourceAccessor.name(), new DirectoryResourceAccessor(this.dir)), () -> {
				CommandScope update = new CommandScope("update");
				update.addArgumentValue("database", database);
				update.addArgumentValue("changelogFile", changeLog);
				update.addArgumentValue("contexts", "dev");
				update.addArgumentValue("labelFilter", "core");
				update.addArgumentValue("changelogParameters", parameters);
				update.execute();
			});
		}
		List<List<String>> rows = this.db.rows("SELECT id FROM databasechangelog");
		assertThat(rows).hasSize(expectedRows);
	}

}
