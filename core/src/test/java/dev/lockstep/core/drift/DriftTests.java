package dev.lockstep.core.drift;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;

import liquibase.resource.ClassLoaderResourceAccessor;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import dev.lockstep.core.MigrationEngine;
import dev.lockstep.core.api.DriftChange;
import dev.lockstep.core.api.DriftObject;
import dev.lockstep.core.api.DriftReport;
import dev.lockstep.core.api.DriftState;
import dev.lockstep.core.api.MigrationMode;
import dev.lockstep.core.api.MigrationSettings;
import dev.lockstep.core.test.TestDatabase;
import dev.lockstep.core.test.TestDatabases;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.params.provider.Arguments.arguments;

/**
 * Every kind of object the drift check reads, changed by hand after a run on a real PostgreSQL: each is reported
 * once, with the right change and with what was expected and what is there.
 */
class DriftTests {

	private static final String CHANGE_LOG = "dev/lockstep/core/drift/every-kind.yaml";

	static MigrationEngine migrated(TestDatabase db) {
		MigrationEngine engine = new MigrationEngine(db.dataSource(), new ClassLoaderResourceAccessor(),
				MigrationSettings.of(CHANGE_LOG));
		engine.run(MigrationMode.APPLY);
		return engine;
	}

	/** A database migrated once, copied (CREATE DATABASE ... TEMPLATE) for each hand change. */
	private static TestDatabase template;

	private static final AtomicInteger copies = new AtomicInteger();

	/**
	 * A copy of a database {@link #migrated} once, and an engine that has run on it (with nothing left to apply):
	 * the state {@link #migrated} leaves, without applying the changelog again for each of the hand changes.
	 */
	static synchronized CopiedDatabase migratedCopy() {
		if (template == null) {
			TestDatabase db = TestDatabases.create();
			migrated(db);
			template = db;
		}
		String name = template.name() + "_copy_" + copies.incrementAndGet();
		try (Connection admin = DriverManager.getConnection(TestDatabases.adminUrl(), template.user(),
				template.password()); Statement statement = admin.createStatement()) {
			statement.execute("CREATE DATABASE " + name + " TEMPLATE " + template.name());
		}
		catch (SQLException ex) {
			throw new IllegalStateException("Could not copy " + template.name(), ex);
		}
		TestDatabase copy = TestDatabase.of(template.url().replaceFirst("/" + template.name() + "$", "/" + name),
				template.user(), template.password(), name);
		return new CopiedDatabase(copy, migrated(copy));
	}

	record CopiedDatabase(TestDatabase db, MigrationEngine engine) {
	}

	@Test
	void aDatabaseMigratedOnlyByLockstepHasNoDrift() {
		TestDatabase db = TestDatabases.create();
		MigrationEngine engine = migrated(db);
		DriftReport report = engine.checkDrift();
		assertThat(report.state()).as("%s", report).isEqualTo(DriftState.CLEAN);
		assertThat(report.objects()).isEmpty();
		assertThat(report.recordedAt()).isNotNull();
		assertThat(db.count("SELECT object_count FROM lockstep_schema_record")).isGreaterThan(30);
	}

	@Test
	void anExtensionAddedByHandIsOneObjectNotItsFunctionsAndTypes() {
		TestDatabase db = TestDatabases.create();
		MigrationEngine engine = migrated(db);
		db.execute("CREATE EXTENSION citext");

		DriftReport report = engine.checkDrift();

		assertThat(report.objects()).extracting(DriftObject::describe)
			.singleElement()
			.asString()
			.startsWith("extension citext: added (version ");
	}

	@Test
	void ignorePatternsLeaveOutTheObjectsAndWhatBelongsToIgnoredTables() {
		TestDatabase db = TestDatabases.create();
		MigrationEngine engine = migrated(db);
		engine.configureDrift(true, List.of("index:*_tmp", "table:audit_*"));
		db.execute("CREATE INDEX orders_state_tmp ON orders (state)");
		db.execute("CREATE TABLE audit_log (id int PRIMARY KEY, at timestamptz)");
		db.execute("CREATE INDEX audit_log_at_idx ON audit_log (at)");
		db.execute("CREATE INDEX orders_state_idx ON orders (state)");

		DriftReport report = engine.checkDrift();

		assertThat(report.objects()).extracting(DriftObject::name).containsExactly("orders_state_idx");
		assertThat(report.ignored()).isEqualTo(6); // the tmp index; the table, its 2 columns, its key, its index
	}

	static Stream<Arguments> handChanges() {
		return Stream.of(
				arguments("ALTER TABLE orders ADD COLUMN note text", "column", "orders.note", DriftChange.ADDED, null,
						"text null"),
				arguments("ALTER TABLE customers DROP COLUMN name", "column", "customers.name", DriftChange.REMOVED,
						"text null", null),
				arguments("ALTER TABLE customers ALTER COLUMN email TYPE varchar(300)", "column", "customers.email",
						DriftChange.CHANGED, "character varying(200) not null", "character varying(300) not null"),
				arguments("ALTER TABLE customers ALTER COLUMN email DROP NOT NULL", "column", "customers.email",
						DriftChange.CHANGED, "character varying(200) not null", "character varying(200) null"),
				arguments("ALTER TABLE orders ALTER COLUMN created_at DROP DEFAULT", "column", "orders.created_at",
						DriftChange.CHANGED, "timestamp with time zone not null default now()",
						"timestamp with time zone not null"),
				arguments("ALTER TABLE customers ALTER COLUMN id SET GENERATED BY DEFAULT", "column", "customers.id",
						DriftChange.CHANGED, "bigint not null generated always as identity",
						"bigint not null generated by default as identity"),
				arguments("CREATE TABLE scratch (id int)", "table", "scratch", DriftChange.ADDED, null, "table"),
				arguments("DROP TABLE bookings", "table", "bookings", DriftChange.REMOVED, "table", null),
				arguments("ALTER TABLE orders DISABLE ROW LEVEL SECURITY", "table", "orders", DriftChange.CHANGED,
						"table row level security", "table"),
				arguments("ALTER TABLE orders DROP CONSTRAINT orders_quantity_check", "constraint",
						"orders.orders_quantity_check", DriftChange.REMOVED, "CHECK ((quantity > 0))", null),
				arguments("ALTER TABLE orders ADD CONSTRAINT orders_price_check CHECK (unit_price >= 0) NOT VALID",
						"constraint", "orders.orders_price_check", DriftChange.ADDED, null,
						"CHECK ((unit_price >= (0)::numeric)) NOT VALID"),
				arguments("ALTER TABLE orders DROP CONSTRAINT orders_customer_id_fkey", "constraint",
						"orders.orders_customer_id_fkey", DriftChange.REMOVED,
						"FOREIGN KEY (customer_id) REFERENCES public.customers(id)", null),
				arguments("ALTER TABLE customers DROP CONSTRAINT customers_email_key", "constraint",
						"customers.customers_email_key", DriftChange.REMOVED, "UNIQUE (email)", null),
				arguments("ALTER TABLE bookings DROP CONSTRAINT bookings_during_excl", "constraint",
						"bookings.bookings_during_excl", DriftChange.REMOVED, "EXCLUDE USING gist (during WITH &&)",
						null),
				arguments("CREATE INDEX orders_state_idx ON orders (state)", "index", "orders_state_idx",
						DriftChange.ADDED, null, "CREATE INDEX orders_state_idx ON public.orders USING btree (state)"),
				arguments("DROP INDEX orders_customer_idx", "index", "orders_customer_idx", DriftChange.REMOVED,
						"CREATE INDEX orders_customer_idx ON public.orders USING btree (customer_id)", null),
				arguments("DROP INDEX orders_customer_idx; CREATE INDEX orders_customer_idx ON orders (customer_id, state)",
						"index", "orders_customer_idx", DriftChange.CHANGED,
						"CREATE INDEX orders_customer_idx ON public.orders USING btree (customer_id)",
						"CREATE INDEX orders_customer_idx ON public.orders USING btree (customer_id, state)"),
				arguments("UPDATE pg_index SET indisvalid = false WHERE indexrelid = 'orders_customer_idx'::regclass",
						"index", "orders_customer_idx", DriftChange.CHANGED,
						"CREATE INDEX orders_customer_idx ON public.orders USING btree (customer_id)",
						"CREATE INDEX orders_customer_idx ON public.orders USING btree (customer_id) INVALID"),
				arguments("CREATE OR REPLACE VIEW paid_orders AS SELECT id, customer_id, total FROM orders WHERE state <> 'new'",
						"view", "paid_orders", DriftChange.CHANGED, "state = 'paid'::public.order_state",
						"state <> 'new'::public.order_state"),
				arguments("DROP MATERIALIZED VIEW order_totals", "materialized view", "order_totals",
						DriftChange.REMOVED, "total) AS total", null),
				arguments("ALTER SEQUENCE invoice_numbers INCREMENT 1", "sequence", "invoice_numbers",
						DriftChange.CHANGED, "bigint start 1000 increment 10", "bigint start 1000 increment 1 "),
				arguments("CREATE SEQUENCE scratch_seq", "sequence", "scratch_seq", DriftChange.ADDED, null,
						"bigint start 1 increment 1"),
				arguments("CREATE OR REPLACE FUNCTION order_total(p_order int) RETURNS numeric LANGUAGE sql STABLE AS $$ SELECT 0::numeric $$",
						"function", "order_total(p_order integer)", DriftChange.CHANGED,
						"SELECT total FROM orders WHERE id = p_order", "SELECT 0::numeric"),
				arguments("DROP PROCEDURE archive_orders", "procedure", "archive_orders(IN before date)",
						DriftChange.REMOVED, "DELETE FROM orders", null),
				arguments("ALTER TABLE orders DISABLE TRIGGER orders_touch", "trigger", "orders.orders_touch",
						DriftChange.CHANGED, "EXECUTE FUNCTION public.touch_order()",
						"EXECUTE FUNCTION public.touch_order() (disabled)"),
				arguments("DROP TRIGGER orders_touch ON orders", "trigger", "orders.orders_touch",
						DriftChange.REMOVED, "BEFORE UPDATE ON public.orders", null),
				arguments("ALTER TYPE order_state ADD VALUE 'refunded'", "type", "order_state", DriftChange.CHANGED,
						"enum ('new', 'paid', 'shipped')", "enum ('new', 'paid', 'shipped', 'refunded')"),
				arguments("ALTER DOMAIN positive_amount DROP NOT NULL", "type", "positive_amount",
						DriftChange.CHANGED, "domain numeric(12,2) not null", "domain numeric(12,2) constraint"),
				arguments("ALTER TYPE money_pair ADD ATTRIBUTE note text", "type", "money_pair", DriftChange.CHANGED,
						"composite (amount numeric, currency character(3))",
						"composite (amount numeric, currency character(3), note text)"),
				arguments("DROP POLICY orders_own ON orders", "policy", "orders.orders_own", DriftChange.REMOVED,
						"permissive for select to public using", null),
				arguments("CREATE POLICY orders_insert ON orders FOR INSERT WITH CHECK (true)", "policy",
						"orders.orders_insert", DriftChange.ADDED, null, "permissive for insert to public with check (true)"),
				arguments("DROP EXTENSION pgcrypto", "extension", "pgcrypto", DriftChange.REMOVED, "version ", null),
				arguments("CREATE TABLE events_2027 PARTITION OF events FOR VALUES FROM ('2027-01-01') TO ('2028-01-01')",
						"table", "events_2027", DriftChange.ADDED, null,
						"table partition of public.events FOR VALUES FROM ('2027-01-01') TO ('2028-01-01')"));
	}

	@ParameterizedTest(name = "{1} {2} {3}: {0}")
	@MethodSource("handChanges")
	void aHandChangeIsReportedWithWhatWasExpectedAndWhatIsThere(String sql, String type, String name,
			DriftChange change, String expected, String actual) {
		CopiedDatabase copied = migratedCopy();
		TestDatabase db = copied.db();
		MigrationEngine engine = copied.engine();
		assertThat(engine.checkDrift().state()).as("the copy before the hand change").isEqualTo(DriftState.CLEAN);
		db.execute(sql);

		DriftReport report = engine.checkDrift();

		assertThat(report.state()).as("%s", report).isEqualTo(DriftState.DRIFT);
		List<DriftObject> matching = report.objects()
			.stream()
			.filter((object) -> object.type().equals(type) && object.name().equals(name))
			.toList();
		assertThat(matching).as("%s", report.objects()).hasSize(1);
		DriftObject object = matching.get(0);
		assertThat(object.change()).isEqualTo(change);
		if (expected == null) {
			assertThat(object.expected()).isNull();
		}
		else {
			assertThat(object.expected()).contains(expected);
		}
		if (actual == null) {
			assertThat(object.actual()).isNull();
		}
		else {
			assertThat(object.actual()).contains(actual);
		}
	}

}
