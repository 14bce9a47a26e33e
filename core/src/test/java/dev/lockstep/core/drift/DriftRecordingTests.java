package dev.lockstep.core.drift;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Proxy;
import java.sql.Connection;
import java.sql.Statement;
import java.util.List;
import java.util.Map;

import javax.sql.DataSource;

import liquibase.resource.ClassLoaderResourceAccessor;
import liquibase.resource.DirectoryResourceAccessor;
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
import dev.lockstep.core.api.RollbackTarget;
import dev.lockstep.core.test.TestDatabase;
import dev.lockstep.core.test.TestDatabases;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;
import static org.assertj.core.api.Assertions.tuple;

/**
 * What real runs record, on a real PostgreSQL: every change made under the lock (apply, a failing apply, rollback,
 * baseline) leaves a record the live schema matches, a restart changes nothing, extensions and the history tables
 * stay out of it, and a hand change made before a release stays drift after the release while what the release
 * itself changes does not.
 */
class DriftRecordingTests {

	private static final String RECORD = "SELECT version, description_hash, object_count FROM lockstep_schema_record";

	private static final String CUSTOMERS = """
			--changeset t:1-customers
			CREATE TABLE customers (id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY, name text NOT NULL,
			  email varchar(200) UNIQUE);
			--rollback DROP TABLE customers;
			""";

	private static final String ORDERS = """
			--changeset t:2-orders
			CREATE TABLE orders (id bigserial PRIMARY KEY, customer_id bigint NOT NULL REFERENCES customers (id),
			  total numeric(12,2) NOT NULL DEFAULT 0 CHECK (total >= 0));
			CREATE INDEX orders_customer_idx ON orders (customer_id);
			--rollback DROP TABLE orders;
			""";

	private static final String REPORT_VIEW = """
			--changeset t:3-report
			CREATE VIEW customer_totals AS SELECT c.id, sum(o.total) AS total FROM customers c
			  JOIN orders o ON o.customer_id = c.id GROUP BY c.id;
			--rollback DROP VIEW customer_totals;
			""";

	@TempDir
	Path dir;

	private final TestDatabase db = TestDatabases.create();

	@Test
	void aRestartChangesNothingAndStaysClean() throws IOException {
		writeChangeLog(CUSTOMERS, ORDERS, REPORT_VIEW);
		engine().run(MigrationMode.APPLY);
		List<List<String>> record = this.db.rows(RECORD);
		assertThat(record).hasSize(1);
		assertClean(engine());

		MigrationEngine restarted = engine();
		restarted.run(MigrationMode.APPLY);
		assertClean(restarted);
		assertThat(this.db.rows(RECORD)).as("a run that applied nothing does not write the record again")
			.isEqualTo(record);
	}

	@Test
	void theHistoryTablesNeverAppear() throws IOException {
		writeChangeLog(CUSTOMERS);
		engine().run(MigrationMode.APPLY);
		new MigrationCommands(engine()).tag("v1");
		assertThat(this.db.rows("SELECT tablename FROM pg_tables WHERE schemaname = 'public' ORDER BY 1"))
			.as("the history tables are there, beside the application's")
			.extracting((row) -> row.get(0))
			.contains("databasechangelog", "databasechangeloglock", "lockstep_schema_record", "customers");

		String description = description();
		assertThat(description).contains("customers").doesNotContainIgnoringCase("databasechangelog")
			.doesNotContainIgnoringCase("lockstep_");
		assertClean(engine());
	}

	/**
	 * The objects in their own schema and the history in another ({@code default-schema} and
	 * {@code liquibase-schema}), with a tag after every apply: both schemas are compared, the history tables in
	 * neither.
	 */
	@Test
	void objectsAndHistoryInSchemasOfTheirOwn() throws IOException {
		this.db.execute("CREATE SCHEMA app; CREATE SCHEMA meta");
		writeChangeLog(CUSTOMERS, ORDERS);
		MigrationSettings settings = new MigrationSettings("master.sql", null, null, "app", "meta", Map.of(), "v1",
				null, "drift-tests");
		new MigrationEngine(this.db.dataSource(), resources(), settings).run(MigrationMode.APPLY);
		assertThat(this.db.count("SELECT count(*) FROM pg_tables WHERE schemaname = 'meta' AND tablename IN "
				+ "('databasechangelog', 'databasechangeloglock', 'lockstep_schema_record')")).isEqualTo(3);
		assertThat(this.db.count("SELECT count(*) FROM meta.databasechangelog WHERE tag = 'v1'")).isEqualTo(1);

		String description = this.db.rows("SELECT description FROM meta.lockstep_schema_record").get(0).get(0);
		assertThat(description).contains("table	customers	", "table	orders	",
				"FOREIGN KEY (customer_id) REFERENCES app.customers(id)")
			.doesNotContainIgnoringCase("databasechangelog")
			.doesNotContainIgnoringCase("lockstep_");
		MigrationEngine restarted = new MigrationEngine(this.db.dataSource(), resources(), settings);
		restarted.run(MigrationMode.APPLY);
		assertClean(restarted);

		this.db.execute("CREATE TABLE meta.notes (id int)");
		assertThat(restarted.checkDrift().objects()).extracting(DriftObject::type, DriftObject::name)
			.contains(tuple("table", "meta.notes"));
	}

	/**
	 * Extensions created by a changeset: their functions, types, operators and aggregates are not what the
	 * migrations made (they come and go with the extension); the columns, indexes and constraints that use them are.
	 */
	@Test
	void extensionsCreatedByAChangesetStayOutOfTheRecord() throws IOException {
		writeChangeLog("""
				--changeset t:1-extensions
				CREATE EXTENSION pgcrypto;
				CREATE EXTENSION pg_trgm;
				CREATE EXTENSION citext;
				CREATE EXTENSION btree_gist;
				CREATE EXTENSION hstore;
				""", """
				--changeset t:2-users splitStatements:false
				CREATE TABLE users (id int PRIMARY KEY, login citext NOT NULL UNIQUE, attributes hstore,
				  room int NOT NULL, during tstzrange NOT NULL,
				  EXCLUDE USING gist (room WITH =, during WITH &&));
				CREATE INDEX users_login_trgm ON users USING gin ((login::text) gin_trgm_ops);
				CREATE FUNCTION password_hash(p text) RETURNS text LANGUAGE sql AS $$ SELECT crypt(p, gen_salt('bf')) $$;
				""");
		engine().run(MigrationMode.APPLY);
		assertThat(this.db.count("SELECT count(*) FROM pg_extension WHERE extname IN "
				+ "('pgcrypto', 'pg_trgm', 'citext', 'btree_gist', 'hstore')")).isEqualTo(5);
		assertThat(this.db.count("SELECT count(*) FROM pg_proc p JOIN pg_namespace n ON n.oid = p.pronamespace "
				+ "WHERE n.nspname = 'public'")).as("functions in public, the extensions' included")
			.isGreaterThan(100);

		String description = description();
		assertThat(description.lines().filter((line) -> line.startsWith("function\t")))
			.as("the only function the migrations made themselves")
			.singleElement()
			.satisfies((line) -> assertThat(line).startsWith("function\tpassword_hash(p text)\t"));
		assertThat(description.lines().filter((line) -> line.startsWith("aggregate\t") || line.startsWith("type\t")))
			.as("aggregates and types of the extensions")
			.isEmpty();
		assertThat(description).contains("column\tusers.login\tusers\tpublic.citext not null")
			.contains("column\tusers.attributes\tusers\tpublic.hstore null")
			.contains("gin_trgm_ops")
			.contains("EXCLUDE USING gist (room WITH =, during WITH &&)");
		assertClean(engine());

		// One created by hand is one object, the extension itself: none of its functions.
		this.db.execute("CREATE EXTENSION tablefunc");
		assertThat(engine().checkDrift().objects()).extracting(DriftObject::describe)
			.containsExactly("extension tablefunc: added (version 1.0)");
	}

	@Test
	void switchedOffNoRecordIsWritten() throws IOException {
		writeChangeLog(CUSTOMERS, ORDERS);
		MigrationEngine engine = engine();
		engine.configureDrift(false, List.of());
		engine.run(MigrationMode.APPLY);
		assertThat(this.db.tableExists("customers")).isTrue();
		assertThat(this.db.tableExists("lockstep_schema_record")).isFalse();
		assertThat(engine.checkDrift().state()).isEqualTo(DriftState.DISABLED);
		assertThat(engine().checkDrift().state()).as("an engine with drift on, before any run recorded")
			.isEqualTo(DriftState.NO_RECORD);
	}

	@Test
	void aFailedRunRecordsWhatItAppliedBeforeTheFailure() throws IOException {
		writeChangeLog(CUSTOMERS, """
				--changeset t:2-tolerated failOnError:false
				CREATE TABLE broken (id int REFERENCES missing_table (id));
				""", ORDERS, """
				--changeset t:3-fails
				ALTER TABLE no_such_table ADD COLUMN note text;
				""", REPORT_VIEW);

		Throwable failure = catchThrowable(() -> engine().run(MigrationMode.APPLY));

		assertThat(failure).as("the run fails at 3-fails").isNotNull();
		assertThat(this.db.rows("SELECT id FROM databasechangelog ORDER BY orderexecuted"))
			.extracting((row) -> row.get(0))
			.containsExactly("1-customers", "2-orders");
		assertThat(description()).contains("table\tcustomers\t", "table\torders\t", "index\torders_customer_idx\t")
			.doesNotContain("customer_totals", "broken");
		assertClean(engine());

		writeChangeLog(CUSTOMERS, """
				--changeset t:2-tolerated failOnError:false
				CREATE TABLE broken (id int REFERENCES missing_table (id));
				""", ORDERS, REPORT_VIEW);
		engine().run(MigrationMode.APPLY);
		assertThat(description()).contains("view\tcustomer_totals\t");
		assertClean(engine());
	}

	/**
	 * A changeset that does not run in a transaction fails after its first statement committed: what it made is
	 * not drift, neither after the failure nor after the fixed changeset ran again.
	 */
	@Test
	void aChangeSetOutsideATransactionThatFailsHalfWayIsNotDrift() throws IOException {
		writeChangeLog(CUSTOMERS);
		engine().run(MigrationMode.APPLY);
		writeChangeLog(CUSTOMERS, """
				--changeset t:2-side runInTransaction:false
				CREATE TABLE IF NOT EXISTS side (id int);
				ALTER TABLE no_such_table ADD COLUMN note text;
				""");
		assertThat(catchThrowable(() -> engine().run(MigrationMode.APPLY))).isNotNull();
		assertThat(this.db.tableExists("side")).as("the statement before the failure stays").isTrue();
		assertThat(this.db.count("SELECT count(*) FROM databasechangelog WHERE id = '2-side'")).isZero();
		assertClean(engine());
		assertThat(description()).contains("table\tside\t");

		writeChangeLog(CUSTOMERS, """
				--changeset t:2-side runInTransaction:false
				CREATE TABLE IF NOT EXISTS side (id int);
				ALTER TABLE customers ADD COLUMN IF NOT EXISTS note text;
				""");
		engine().run(MigrationMode.APPLY);
		assertThat(this.db.count("SELECT count(*) FROM lockstep_in_flight")).isZero();
		assertClean(engine());
		assertThat(description()).contains("table\tside\t", "column\tcustomers.note\t");
	}

	/**
	 * What a run killed in the middle of a changeset outside a transaction leaves (its first statement committed,
	 * its in-flight row, no history row, no new record): a stale record, not drift; the next run records it.
	 */
	@Test
	void aChangeSetOutsideATransactionKilledHalfWayIsAStaleRecordNotDrift() throws IOException {
		writeChangeLog(CUSTOMERS);
		engine().run(MigrationMode.APPLY);
		String side = """
				--changeset t:2-side runInTransaction:false
				CREATE TABLE IF NOT EXISTS side (id int);
				ALTER TABLE customers ADD COLUMN IF NOT EXISTS note text;
				""";
		writeChangeLog(CUSTOMERS, side, ORDERS);
		// The first statement, and the row Lockstep commits before such a changeset starts (see InFlightChangeSets).
		this.db.execute("CREATE TABLE IF NOT EXISTS lockstep_in_flight (OPERATION VARCHAR(20) NOT NULL, "
				+ "ID VARCHAR(255) NOT NULL, AUTHOR VARCHAR(255) NOT NULL, FILENAME VARCHAR(255) NOT NULL, "
				+ "STARTED_AT TIMESTAMP NOT NULL, RECORDED_BY VARCHAR(255))");
		this.db.execute("INSERT INTO lockstep_in_flight VALUES ('APPLY', '2-side', 't', 'master.sql', "
				+ "now() AT TIME ZONE 'UTC', 'killed')");
		this.db.execute("CREATE TABLE side (id int)");

		DriftReport report = engine().checkDrift();
		assertThat(report.objects()).isEmpty();
		assertThat(report.state()).as("%s", report).isEqualTo(DriftState.STALE_RECORD);

		engine().run(MigrationMode.APPLY);
		assertClean(engine());
		assertThat(description()).contains("table\tside\t", "column\tcustomers.note\t", "table\torders\t");
	}

	@Test
	void rollbackAndReapplyRecord() throws IOException {
		writeChangeLog(CUSTOMERS, ORDERS, REPORT_VIEW);
		engine().run(MigrationMode.APPLY);
		long applied = version();
		assertThat(description()).contains("view\tcustomer_totals\t");

		new MigrationCommands(engine()).rollback(RollbackTarget.count(2));
		assertThat(version()).as("record version after the rollback").isGreaterThan(applied);
		assertThat(description()).contains("table\tcustomers\t").doesNotContain("orders", "customer_totals");
		assertClean(engine());

		engine().run(MigrationMode.APPLY);
		assertThat(description()).contains("table\torders\t", "view\tcustomer_totals\t");
		assertClean(engine());
	}

	@Test
	void baselineRecordsTheSchemaItAdopts() throws IOException {
		this.db.execute("CREATE TABLE customers (id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY, name text NOT "
				+ "NULL, email varchar(200) UNIQUE)");
		writeChangeLog(CUSTOMERS);
		assertThat(engine().checkDrift().state()).isEqualTo(DriftState.NO_RECORD);

		assertThat(new MigrationCommands(engine()).baseline(null, false, null)).isEqualTo(1);

		assertThat(description()).contains("table\tcustomers\t", "column\tcustomers.email\t");
		assertClean(engine());
	}

	/**
	 * A hand change made before a release is still drift after that release is applied; what the release itself
	 * adds, alters or drops is not.
	 */
	@Test
	void aHandChangeMadeBeforeAReleaseStaysReportedAfterIt() throws IOException {
		writeChangeLog(CUSTOMERS, ORDERS, REPORT_VIEW);
		engine().run(MigrationMode.APPLY);
		this.db.execute("CREATE INDEX customers_name_hotfix ON customers (name)");
		this.db.execute("ALTER TABLE orders ALTER COLUMN total DROP DEFAULT");
		List<DriftObject> handChanges = engine().checkDrift().objects();
		assertThat(handChanges).extracting(DriftObject::type, DriftObject::name, DriftObject::change)
			.containsExactly(tuple("column", "orders.total", DriftChange.CHANGED),
					tuple("index", "customers_name_hotfix", DriftChange.ADDED));

		writeChangeLog(CUSTOMERS, ORDERS, REPORT_VIEW, """
				--changeset t:4-release-2
				ALTER TABLE customers ADD COLUMN phone text;
				CREATE INDEX orders_total_idx ON orders (total);
				CREATE OR REPLACE VIEW customer_totals AS SELECT c.id, sum(o.total) AS total, count(*) AS orders
				  FROM customers c JOIN orders o ON o.customer_id = c.id GROUP BY c.id;
				ALTER TABLE customers DROP CONSTRAINT customers_email_key;
				""");
		engine().run(MigrationMode.APPLY);

		DriftReport after = engine().checkDrift();
		assertThat(after.state()).isEqualTo(DriftState.DRIFT);
		assertThat(after.objects()).as("the hand changes, and nothing the release changed")
			.containsExactlyElementsOf(handChanges);
		assertThat(description()).contains("column\tcustomers.phone\t", "index\torders_total_idx\t",
				"count(*) AS orders").doesNotContain("customers_email_key", "customers_name_hotfix");

		// A restart sees the same.
		assertThat(engine().checkDrift().objects()).containsExactlyElementsOf(handChanges);
	}

	/**
	 * Definitions PostgreSQL deparses with constants of time and interval types come out in the session's time zone
	 * and interval style: an instance in another time zone (the JDBC driver sends the JVM's) must read them as the
	 * one that recorded them.
	 */
	@Test
	void aCheckFromASessionWithOtherSettingsStaysClean() throws IOException {
		writeChangeLog("""
				--changeset t:1-time splitStatements:false
				CREATE TABLE events (id int NOT NULL, at timestamptz NOT NULL DEFAULT '2024-01-01 00:00:00+00',
				  keep interval NOT NULL DEFAULT '1 day 02:00:00', CHECK (at > '2000-01-01 00:00:00+00'))
				  PARTITION BY RANGE (at);
				CREATE TABLE events_2024 PARTITION OF events FOR VALUES FROM ('2024-01-01 00:00:00+00')
				  TO ('2025-01-01 00:00:00+00');
				CREATE INDEX events_recent ON events_2024 (at) WHERE at > '2024-06-01 00:00:00+00';
				CREATE VIEW recent_events AS SELECT id FROM events
				  WHERE at > '2024-03-01 12:00:00+00'::timestamptz - interval '3 days 04:00:00';
				""");
		MigrationEngine elsewhere = new MigrationEngine(sessionsWith("SET TimeZone = 'Asia/Kolkata'",
				"SET IntervalStyle = 'iso_8601'"), resources(),
				MigrationSettings.of("master.sql"));
		elsewhere.run(MigrationMode.APPLY);
		assertClean(elsewhere);

		assertClean(engine());
		assertClean(new MigrationEngine(sessionsWith("SET TimeZone = 'America/Los_Angeles'"), resources(),
				MigrationSettings.of("master.sql")));
	}

	/**
	 * Every kind of object the check reads (views, functions, procedures, triggers, types, policies, partitions...,
	 * which the real-world corpora do not have), checked by another engine whose sessions use other settings.
	 */
	@Test
	void everyKindOfObjectReadsTheSameFromAnotherInstance() {
		MigrationEngine engine = DriftTests.migrated(this.db);
		assertClean(engine);
		MigrationEngine other = new MigrationEngine(sessionsWith("SET IntervalStyle = 'sql_standard'",
				"SET extra_float_digits = 0", "SET TimeZone = 'Pacific/Chatham'", "SET lc_messages = 'C'"),
				new ClassLoaderResourceAccessor(), MigrationSettings.of("dev/lockstep/core/drift/every-kind.yaml"));
		assertClean(other);
		assertThat(this.db.count("SELECT object_count FROM lockstep_schema_record")).isGreaterThan(30);
	}

	/** Connections of the test database with the given statements run first, as a pool's init SQL would. */
	private DataSource sessionsWith(String... statements) {
		DataSource plain = this.db.dataSource();
		return (DataSource) Proxy.newProxyInstance(getClass().getClassLoader(), new Class<?>[] { DataSource.class },
				(proxy, method, args) -> {
					Object result;
					try {
						result = method.invoke(plain, args);
					}
					catch (InvocationTargetException ex) {
						throw ex.getCause();
					}
					if (result instanceof Connection connection) {
						try (Statement statement = connection.createStatement()) {
							for (String sql : statements) {
								statement.execute(sql);
							}
						}
					}
					return result;
				});
	}

	private DirectoryResourceAccessor resources() throws IOException {
		return new DirectoryResourceAccessor(this.dir);
	}

	private void assertClean(MigrationEngine engine) {
		DriftReport report = engine.checkDrift();
		assertThat(report.objects()).as("drift objects").isEmpty();
		assertThat(report.state()).as("%s", report).isEqualTo(DriftState.CLEAN);
	}

	private String description() {
		return this.db.rows("SELECT description FROM lockstep_schema_record").get(0).get(0);
	}

	private long version() {
		return this.db.count("SELECT version FROM lockstep_schema_record");
	}

	private MigrationEngine engine() {
		try {
			return new MigrationEngine(this.db.dataSource(), new DirectoryResourceAccessor(this.dir),
					MigrationSettings.of("master.sql"));
		}
		catch (IOException ex) {
			throw new IllegalStateException(ex);
		}
	}

	private void writeChangeLog(String... changeSets) throws IOException {
		Files.writeString(this.dir.resolve("master.sql"), "--liquibase formatted sql\n\n" + String.join("\n", changeSets));
	}

}
