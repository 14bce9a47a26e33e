package dev.lockstep.targets;

import java.util.ArrayList;
import java.util.List;
import java.util.stream.IntStream;

import org.junit.jupiter.api.Test;

import org.springframework.boot.SpringApplication;

import dev.lockstep.core.api.SchemaState;
import dev.lockstep.core.problem.TenantsFailedException;
import dev.lockstep.core.targets.MigrationsRegistry;
import dev.lockstep.core.targets.Tenant;
import dev.lockstep.core.targets.TargetSummary;
import dev.lockstep.test.RunningApp;
import dev.lockstep.test.TestDatabase;
import dev.lockstep.test.TestDatabases;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Named targets and tenants in a real application: the default target, a second database and 50 tenant schemas,
 * each tenant with its tables and its history in its own schema, raw SQL included.
 */
class TargetsTests {

	private static final int TENANTS = 50;

	@Test
	void twoDatabasesAndFiftyTenantSchemasAreMigratedEachInItsOwnPlace() {
		TestDatabase orders = TestDatabases.create();
		TestDatabase billing = TestDatabases.create();
		try (RunningApp app = RunningApp.start(orders, targets(billing, tenantSchemas(TENANTS)))) {
			assertThat(orders.count("SELECT count(*) FROM public.databasechangelog")).isEqualTo(3);
			assertThat(billing.count("SELECT count(*) FROM public.databasechangelog")).isEqualTo(1);
			assertThat(billing.count("SELECT count(*) FROM information_schema.tables WHERE table_name = 'invoices'"))
				.isEqualTo(1);
			assertThat(orders.count("SELECT count(*) FROM information_schema.tables WHERE table_name = 'invoices'"))
				.isZero();
			for (int i = 1; i <= TENANTS; i++) {
				String schema = tenant(i);
				assertThat(orders.count("SELECT count(*) FROM " + schema + ".databasechangelog")).as(schema)
					.isEqualTo(3);
				assertThat(orders.rows("SELECT body FROM " + schema + ".notes")).as(schema)
					.containsExactly(List.of(schema));
				assertThat(orders.count("SELECT count(*) FROM information_schema.columns WHERE table_schema = '"
						+ schema + "' AND table_name = 'accounts' AND column_name = 'email'")).isEqualTo(1);
			}
			// Nothing of the tenants' landed in the default schema.
			assertThat(orders.count("SELECT count(*) FROM information_schema.tables WHERE table_schema = 'public' "
					+ "AND table_name IN ('notes', 'accounts')")).isZero();
			MigrationsRegistry registry = app.bean(MigrationsRegistry.class);
			assertThat(registry.names()).containsExactly("default", "billing", "tenants");
			TargetSummary summary = registry.summary("tenants");
			assertThat(summary.state()).isEqualTo(SchemaState.UP_TO_DATE);
			assertThat(summary.tenants()).containsEntry(SchemaState.UP_TO_DATE, TENANTS).hasSize(1);
			assertThat(registry.summary("billing").state()).isEqualTo(SchemaState.UP_TO_DATE);

			// A tenant created at runtime.
			registry.migrate("tenants", Tenant.schema("tenant_new"));
			assertThat(orders.count("SELECT count(*) FROM tenant_new.databasechangelog")).isEqualTo(3);
			assertThat(registry.status("tenants", "tenant_new").state()).isEqualTo(SchemaState.UP_TO_DATE);
		}
	}

	@Test
	void aFailingTenantWithContinueIsFailedAndTheOthersAreMigrated() {
		TestDatabase db = TestDatabases.create();
		TestDatabase billing = TestDatabases.create();
		db.execute("CREATE SCHEMA tenant_03; CREATE TABLE tenant_03.notes (something_else int)");
		List<String> properties = new ArrayList<>(List.of(targets(billing, tenantSchemas(6))));
		properties.add("migrations.targets.tenants.tenants.on-failure=continue");
		try (RunningApp app = RunningApp.start(db, properties.toArray(String[]::new))) {
			MigrationsRegistry registry = app.bean(MigrationsRegistry.class);
			TargetSummary summary = registry.summary("tenants");
			assertThat(summary.state()).isEqualTo(SchemaState.FAILED);
			assertThat(summary.tenants()).containsEntry(SchemaState.FAILED, 1)
				.containsEntry(SchemaState.UP_TO_DATE, 5);
			assertThat(registry.target("tenants").tenant("tenant_03").failure()).isNotNull();
			assertThat(db.count("SELECT count(*) FROM tenant_03.databasechangelog")).isEqualTo(1);
			assertThat(db.count("SELECT count(*) FROM tenant_04.databasechangelog")).isEqualTo(3);
		}
	}

	@Test
	void aFailingTenantWithFailStopsStartupAfterAllWereTriedAndNamesIt() {
		TestDatabase db = TestDatabases.create();
		TestDatabase billing = TestDatabases.create();
		db.execute("CREATE SCHEMA tenant_02; CREATE TABLE tenant_02.notes (something_else int)");
		Throwable failure = RunningApp.failToStart(db, targets(billing, tenantSchemas(4)));
		TenantsFailedException tenants = findCause(failure, TenantsFailedException.class);
		assertThat(tenants.failedTenants()).containsExactly("tenant_02");
		assertThat(tenants.getMessage()).contains("1 of 4 tenants of target tenants failed: tenant_02");
		for (int i : new int[] { 1, 3, 4 }) {
			assertThat(db.count("SELECT count(*) FROM " + tenant(i) + ".databasechangelog")).isEqualTo(3);
		}
	}

	static String[] targets(TestDatabase billing, String schemas) {
		return new String[] { "migrations.targets.billing.url=" + billing.url(),
				"migrations.targets.billing.change-log=classpath:db/billing/changelog.yaml",
				"migrations.targets.tenants.change-log=classpath:db/tenants/changelog.yaml",
				"migrations.targets.tenants.tenants.schemas=" + schemas };
	}

	static String tenantSchemas(int count) {
		return String.join(",", IntStream.rangeClosed(1, count).mapToObj(TargetsTests::tenant).toList());
	}

	static String tenant(int i) {
		return String.format("tenant_%02d", i);
	}

	static <T extends Throwable> T findCause(Throwable failure, Class<T> type) {
		for (Throwable cause = failure; cause != null; cause = cause.getCause()) {
			if (type.isInstance(cause)) {
				return type.cast(cause);
			}
		}
		throw new AssertionError("No " + type.getSimpleName() + " in " + failure, failure);
	}

}
