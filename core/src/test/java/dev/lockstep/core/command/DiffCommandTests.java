package dev.lockstep.core.command;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.util.List;

import liquibase.resource.ClassLoaderResourceAccessor;
import liquibase.resource.CompositeResourceAccessor;
import liquibase.resource.DirectoryResourceAccessor;
import liquibase.resource.ResourceAccessor;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import dev.lockstep.core.MigrationCommands;
import dev.lockstep.core.MigrationEngine;
import dev.lockstep.core.api.DriftChange;
import dev.lockstep.core.api.DriftObject;
import dev.lockstep.core.api.DriftReport;
import dev.lockstep.core.api.DriftState;
import dev.lockstep.core.api.MigrationMode;
import dev.lockstep.core.api.MigrationSettings;
import dev.lockstep.core.drift.CatalogObject;
import dev.lockstep.core.drift.CatalogReader;
import dev.lockstep.core.drift.DriftChangelogWriter;
import dev.lockstep.core.drift.ManagedSchemas;
import dev.lockstep.core.drift.SchemaDescription;
import dev.lockstep.core.jdbc.HistoryLocation;
import dev.lockstep.core.problem.MigrationException;
import dev.lockstep.core.test.HeldLock;
import dev.lockstep.core.test.TestDatabase;
import dev.lockstep.core.test.TestDatabases;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

/**
 * {@code migrations diff} in the core, on a real PostgreSQL: against the changelog without a record (a scratch
 * database built from the applied changesets only, always dropped, the live schema never touched), recording
 * either side, and the changelog written from the drift adopting it on the drifted database and reproducing it on
 * another one.
 */
class DiffCommandTests {

	private static final String EVERY_KIND = "dev/lockstep/core/drift/every-kind.yaml";

	@TempDir
	Path dir;

	private static MigrationEngine engine(TestDatabase db, String changeLog) {
		return engine(db, new ClassLoaderResourceAccessor(), changeLog);
	}

	private static MigrationEngine engine(TestDatabase db, ResourceAccessor resources, String changeLog) {
		return new MigrationEngine(db.dataSource(), resources, MigrationSettings.of(changeLog));
	}

	private static TestDatabase migratedWithoutRecord() {
		TestDatabase db = TestDatabases.create();
		engine(db, EVERY_KIND).run(MigrationMode.APPLY);
		// As if migrated before Lockstep: a history, no record of what the migrations made.
		db.execute("DROP TABLE lockstep_schema_record");
		return db;
	}

	private static long scratchDatabases(TestDatabase db) {
		return db.count("SELECT count(*) FROM pg_database WHERE datname LIKE 'lockstep_scratch_%'");
	}

	@Test
	void againstTheChangelogAHandAddedIndexIsReportedAndPendingChangesetsAreNot() throws Exception {
		TestDatabase db = migratedWithoutRecord();
		db.execute("CREATE INDEX orders_state_idx ON orders (state)");
		// A new release: its changeset is pending, not drift.
		MigrationEngine engine = engine(db, "dev/lockstep/core/drift/every-kind-next.yaml");
		assertThat(engine.checkDrift().state()).isEqualTo(DriftState.NO_RECORD);
		SchemaDescription liveBefore = describe(db);
		List<List<String>> history = db.rows("SELECT id, exectype FROM databasechangelog ORDER BY orderexecuted");

		SchemaDiff diff = new MigrationCommands(engine).diffAgainstChangelog();

		assertThat(diff.report().state()).as("%s", diff.report()).isEqualTo(DriftState.DRIFT);
		assertThat(diff.report().objects()).containsExactly(new DriftObject("index", "orders_state_idx",
				DriftChange.ADDED, null, "CREATE INDEX orders_state_idx ON public.orders USING btree (state)"));
		assertThat(diff.appliedChangeSets()).isEqualTo(5);
		assertThat(scratchDatabases(db)).as("the scratch database is dropped").isZero();
		assertThat(describe(db)).as("the live schema is not touched").isEqualTo(liveBefore);
		assertThat(db.rows("SELECT id, exectype FROM databasechangelog ORDER BY orderexecuted")).isEqualTo(history);
		assertThat(db.tableExists("shipments")).isFalse();
	}

	@Test
	void againstTheChangelogADatabaseMigratedOnlyByItsChangesetsIsClean() {
		TestDatabase db = migratedWithoutRecord();

		SchemaDiff diff = new MigrationCommands(engine(db, EVERY_KIND)).diffAgainstChangelog();

		assertThat(diff.report().state()).as("%s", diff.report().objects()).isEqualTo(DriftState.CLEAN);
		assertThat(diff.actual().objects()).hasSizeGreaterThan(30);
		assertThat(diff.expected()).isEqualTo(diff.actual());
	}

	@Test
	void aSchemaOtherThanPublicIsCreatedInTheScratchDatabaseAndComparedByTheSameNames() {
		TestDatabase db = TestDatabases.create();
		db.execute("CREATE SCHEMA app");
		MigrationSettings settings = new MigrationSettings("dev/lockstep/core/drift/app-schema.yaml", null, null,
				"app", null, java.util.Map.of(), null, null, null);
		MigrationEngine engine = new MigrationEngine(db.dataSource(), new ClassLoaderResourceAccessor(), settings);
		engine.run(MigrationMode.APPLY);
		db.execute("DROP TABLE app.lockstep_schema_record");
		db.execute("ALTER TABLE app.customers ADD COLUMN note text");

		SchemaDiff diff = new MigrationCommands(engine).diffAgainstChangelog();

		assertThat(diff.report().objects()).as("%s", diff.expected()).containsExactly(
				new DriftObject("column", "customers.note", DriftChange.ADDED, null, "text null"));
		assertThat(diff.expected().objects()).extracting(CatalogObject::name).contains("customers",
				"customers_email_idx");
		assertThat(scratchDatabases(db)).isZero();
	}

	@Test
	void anExtensionInstalledOnTheLiveDatabaseByOtherMeansIsInstalledInTheScratchDatabaseToo() {
		TestDatabase db = TestDatabases.create();
		db.execute("CREATE EXTENSION citext");
		MigrationEngine engine = engine(db, "dev/lockstep/core/drift/extension.yaml");
		engine.run(MigrationMode.APPLY);
		db.execute("DROP TABLE lockstep_schema_record");
		db.execute("ALTER TABLE accounts ADD COLUMN note text");

		SchemaDiff diff = new MigrationCommands(engine).diffAgainstChangelog();

		assertThat(diff.report().objects()).containsExactly(
				new DriftObject("column", "accounts.note", DriftChange.ADDED, null, "text null"));
		assertThat(scratchDatabases(db)).isZero();
	}

	@Test
	void whileARunHoldsTheLockNothingIsBuiltOrReported() {
		TestDatabase db = migratedWithoutRecord();
		db.execute("CREATE INDEX orders_state_idx ON orders (state)");
		MigrationCommands commands = new MigrationCommands(engine(db, EVERY_KIND));

		try (HeldLock held = HeldLock.take(db)) {
			SchemaDiff diff = commands.diffAgainstChangelog();

			assertThat(diff.report().state()).isEqualTo(DriftState.RUN_IN_PROGRESS);
			assertThat(diff.report().objects()).isEmpty();
			assertThat(diff.report().message()).contains("holds the lock");
			assertThat(diff.expected()).isNull();
		}
		assertThat(scratchDatabases(db)).isZero();
	}

	@Test
	void aFailingChangesetIsNamedAndTheScratchDatabaseIsDroppedAnyway() {
		TestDatabase db = TestDatabases.create();
		// The live database had a hand-made table the changelog relies on.
		db.execute("CREATE TABLE legacy_catalog (id int)");
		engine(db, "dev/lockstep/core/drift/outside.yaml").run(MigrationMode.APPLY);
		MigrationCommands commands = new MigrationCommands(engine(db, "dev/lockstep/core/drift/outside.yaml"));

		assertThatExceptionOfType(MigrationException.class).isThrownBy(commands::diffAgainstChangelog)
			.withMessageContaining("Building the expected schema from the changelog failed at changeset "
					+ "2-view-on-a-hand-made-table::lockstep")
			.withMessageContaining("the live database was not touched")
			.withMessageContaining("legacy_catalog");
		assertThat(scratchDatabases(db)).isZero();
		assertThat(db.tableExists("legacy_products")).isTrue();
	}

	@Test
	void withoutTheCreatedbPrivilegeOneErrorSaysWhatIsNeeded() {
		TestDatabase db = migratedWithoutRecord();
		String role = "diff_reader_" + db.name();
		db.execute("CREATE ROLE " + role + " LOGIN PASSWORD 'secret' NOCREATEDB");
		db.execute("GRANT SELECT ON ALL TABLES IN SCHEMA public TO " + role);
		TestDatabase limited = TestDatabase.of(db.url(), role, "secret", db.name());

		MigrationCommands commands = new MigrationCommands(engine(limited, EVERY_KIND));

		assertThatExceptionOfType(MigrationException.class).isThrownBy(commands::diffAgainstChangelog)
			.withMessageContaining("Cannot create the scratch database")
			.satisfies((ex) -> assertThat(ex.action()).contains("CREATEDB"));
		assertThat(scratchDatabases(db)).isZero();
	}

	@Test
	void recordingTheChangelogsSchemaKeepsTheDriftVisibleAndAcceptingTheLiveSchemaClearsIt() {
		TestDatabase db = migratedWithoutRecord();
		db.execute("CREATE INDEX orders_state_idx ON orders (state)");
		MigrationEngine engine = engine(db, EVERY_KIND);
		MigrationCommands commands = new MigrationCommands(engine);

		commands.recordDiff(commands.diffAgainstChangelog());

		DriftReport afterRecord = engine.checkDrift();
		assertThat(afterRecord.state()).isEqualTo(DriftState.DRIFT);
		assertThat(afterRecord.objects()).extracting(DriftObject::name).containsExactly("orders_state_idx");

		SchemaDiff shown = commands.diff();
		assertThat(shown.report().objects()).extracting(DriftObject::name).containsExactly("orders_state_idx");
		db.execute("ALTER TABLE orders ADD COLUMN note text");
		assertThatExceptionOfType(MigrationException.class).isThrownBy(() -> commands.recordDiff(shown))
			.withMessageContaining("The live schema changed after the drift was shown. Nothing was recorded.");
		assertThat(engine.checkDrift().objects()).hasSize(2);

		commands.recordDiff(commands.diff());

		assertThat(engine.checkDrift().state()).isEqualTo(DriftState.CLEAN);
	}

	@Test
	void theChangelogWrittenFromTheDriftAdoptsItAndReproducesItElsewhere() throws Exception {
		String text = roundTrip("adopt-drift.sql", List.of("ALTER TABLE orders ADD COLUMN note text DEFAULT 'none'",
				"ALTER TABLE customers DROP COLUMN name",
				"ALTER TABLE customers ALTER COLUMN email TYPE varchar(300)",
				"ALTER TABLE orders ALTER COLUMN created_at DROP DEFAULT",
				"CREATE INDEX orders_state_idx ON orders (state)", "DROP INDEX orders_customer_idx",
				"ALTER TABLE orders ADD CONSTRAINT orders_price_check CHECK (unit_price >= 0)",
				"ALTER TABLE customers DROP CONSTRAINT customers_email_key",
				"CREATE OR REPLACE VIEW paid_orders AS SELECT id, customer_id, total FROM orders WHERE state <> 'new'",
				"ALTER SEQUENCE invoice_numbers INCREMENT 1", "ALTER TYPE order_state ADD VALUE 'refunded'",
				"CREATE OR REPLACE FUNCTION order_total(p_order int) RETURNS numeric LANGUAGE sql STABLE AS $$ SELECT 0::numeric $$",
				"CREATE FUNCTION hand_made() RETURNS int LANGUAGE sql AS $$ SELECT 1 $$",
				"ALTER TABLE orders DISABLE TRIGGER orders_touch",
				"CREATE POLICY orders_insert ON orders FOR INSERT WITH CHECK (true)",
				"CREATE TABLE \"Audit Log\" (id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY, at timestamptz NOT NULL DEFAULT now(), order_id int REFERENCES orders (id))",
				"DROP TABLE bookings"));
		assertThat(text).contains("--changeset lockstep-diff:index-orders_state_idx splitStatements:false")
			.contains("--changeset lockstep-diff:column-orders.note ");
	}

	@Test
	void theChangelogWrittenFromTheDriftCoversSequencesPartitionsTypesAndTriggersToo() throws Exception {
		String text = roundTrip("adopt-more.sql", List.of(
				"CREATE TABLE tags (id serial PRIMARY KEY, label text NOT NULL)",
				"CREATE UNLOGGED TABLE cache_entries (k text PRIMARY KEY, v jsonb)",
				"CREATE TABLE events_2027 PARTITION OF events FOR VALUES FROM ('2027-01-01') TO ('2028-01-01')",
				"CREATE TYPE priority AS ENUM ('low', 'high')",
				"CREATE DOMAIN short_text AS varchar(20) CHECK (VALUE <> '')",
				"ALTER TYPE money_pair ADD ATTRIBUTE note text",
				"DROP MATERIALIZED VIEW order_totals",
				"CREATE MATERIALIZED VIEW order_totals AS SELECT customer_id, count(*) AS n FROM orders GROUP BY customer_id",
				"CREATE TRIGGER orders_touch_insert BEFORE INSERT ON orders FOR EACH ROW EXECUTE FUNCTION touch_order()",
				"ALTER POLICY orders_own ON orders USING (true)",
				"ALTER TABLE orders ALTER COLUMN quantity DROP NOT NULL",
				"ALTER TABLE orders DISABLE ROW LEVEL SECURITY",
				"ALTER TABLE customers ADD CONSTRAINT customers_email_check CHECK (email <> '') NOT VALID",
				"DROP PROCEDURE archive_orders"));
		assertThat(text).contains("--changeset lockstep-diff:sequence-tags_id_seq-owned-by ");
	}

	/**
	 * Makes the hand changes on a database migrated with the every-kind changelog, writes the changelog of the
	 * drift, and checks that it turns another database migrated the same way into the same schema and that on
	 * the drifted database it changes nothing and adopts the drift.
	 * @return the changelog written
	 */
	private String roundTrip(String file, List<String> changes) throws Exception {
		TestDatabase a = TestDatabases.create();
		TestDatabase b = TestDatabases.create();
		engine(a, EVERY_KIND).run(MigrationMode.APPLY);
		engine(b, EVERY_KIND).run(MigrationMode.APPLY);
		for (String change : changes) {
			a.execute(change);
		}
		MigrationCommands commandsA = new MigrationCommands(engine(a, EVERY_KIND));
		SchemaDiff diff = commandsA.diff();
		assertThat(diff.report().state()).isEqualTo(DriftState.DRIFT);
		Path adopt = this.dir.resolve(file);

		DriftChangelogWriter.Written written = commandsA.writeDiffChangelog(diff, adopt);

		String text = Files.readString(adopt);
		assertThat(text).startsWith("-- liquibase formatted sql");
		assertThat(written.notExpressed()).as(text).isEmpty();
		assertThatExceptionOfType(MigrationException.class)
			.isThrownBy(() -> commandsA.writeDiffChangelog(diff, adopt))
			.withMessageContaining("already exists");
		Files.writeString(this.dir.resolve("master.yaml"), """
				databaseChangeLog:
				  - include:
				      file: dev/lockstep/core/drift/every-kind.sql
				  - include:
				      file: %s
				""".formatted(file));
		ResourceAccessor resources = new CompositeResourceAccessor(new DirectoryResourceAccessor(this.dir),
				new ClassLoaderResourceAccessor());

		// Another database migrated the same way becomes what the drifted one is.
		engine(b, resources, "master.yaml").run(MigrationMode.APPLY);
		assertThat(describe(b).objects()).as(text).containsExactlyElementsOf(describe(a).objects());
		assertThat(engine(b, resources, "master.yaml").checkDrift().state()).isEqualTo(DriftState.CLEAN);

		// On the drifted database the changesets change nothing, and the drift is adopted.
		SchemaDescription aBefore = describe(a);
		MigrationEngine adopted = engine(a, resources, "master.yaml");
		adopted.run(MigrationMode.APPLY);
		assertThat(describe(a)).isEqualTo(aBefore);
		DriftReport afterAdoption = adopted.checkDrift();
		assertThat(afterAdoption.state()).as("%s", afterAdoption.objects()).isEqualTo(DriftState.CLEAN);
		return text;
	}

	private static SchemaDescription describe(TestDatabase db) {
		try (Connection connection = db.connect()) {
			return new CatalogReader(new ManagedSchemas(null, new HistoryLocation(null))).read(connection);
		}
		catch (Exception ex) {
			throw new IllegalStateException(ex);
		}
	}

	static List<String> definitions(SchemaDescription description) {
		return description.objects().stream().map(CatalogObject::toString).toList();
	}

}
