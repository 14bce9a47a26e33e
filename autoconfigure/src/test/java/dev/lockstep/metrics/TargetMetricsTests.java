package dev.lockstep.metrics;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.stream.IntStream;

import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.MeterRegistry;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;

import dev.lockstep.core.api.SchemaState;
import dev.lockstep.core.targets.MigrationsRegistry;
import dev.lockstep.core.targets.Tenant;
import dev.lockstep.test.RunningApp;
import dev.lockstep.test.TestDatabase;
import dev.lockstep.test.TestDatabases;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The meters of named targets and of a target with tenants, in a real application: the default target, a second
 * database ({@code billing}) and tenant schemas, one of which fails.
 */
class TargetMetricsTests {

	@Test
	void everyMeterCarriesItsTargetAndTenantsAreCountedPerState() {
		TestDatabase db = TestDatabases.create();
		TestDatabase billing = TestDatabases.create();
		// tenant_03 has a table in the way: its second changeset fails, the others go on.
		db.execute("CREATE SCHEMA tenant_03; CREATE TABLE tenant_03.notes (something_else int)");
		String[] properties = targets(billing, 4, "migrations.targets.tenants.tenants.on-failure=continue");
		try (RunningApp app = RunningApp.start(db, properties)) {
			MeterRegistry registry = app.bean(MeterRegistry.class);
			assertThat(gauge(registry, "migrations.changesets.applied", "default")).isEqualTo(3);
			assertThat(gauge(registry, "migrations.changesets.applied", "billing")).isEqualTo(1);
			assertThat(gauge(registry, "migrations.changesets.pending", "billing")).isZero();
			assertThat(state(registry, "default", SchemaState.UP_TO_DATE)).isEqualTo(1);
			assertThat(state(registry, "default", SchemaState.PENDING)).isZero();
			assertThat(state(registry, "billing", SchemaState.UP_TO_DATE)).isEqualTo(1);
			assertThat(runs(registry, "default", "success")).isEqualTo(1);
			assertThat(runs(registry, "billing", "success")).isEqualTo(1);

			// The tenants: counts per state, one series per state and never one per tenant.
			assertThat(tenants(registry, SchemaState.UP_TO_DATE)).isEqualTo(3);
			assertThat(tenants(registry, SchemaState.FAILED)).isEqualTo(1);
			assertThat(tenants(registry, SchemaState.PENDING)).isZero();
			assertThat(registry.find("migrations.tenants").gauges()).hasSize(StateGauges.STATES.size())
				.allSatisfy((gauge) -> assertThat(gauge.getId().getTag("target")).isEqualTo("tenants"));
			assertThat(state(registry, "tenants", SchemaState.FAILED)).as("the worst of the tenants' states")
				.isEqualTo(1);
			// Sums over the tenants: three with 3 changesets, tenant_03 with 1 applied and 2 pending.
			assertThat(gauge(registry, "migrations.changesets.applied", "tenants")).isEqualTo(10);
			assertThat(gauge(registry, "migrations.changesets.pending", "tenants")).isEqualTo(2);
			assertThat(gauge(registry, "migrations.checksum.mismatches", "tenants")).isZero();
			assertThat(runs(registry, "tenants", "success")).isEqualTo(3);
			assertThat(runs(registry, "tenants", "failed")).isEqualTo(1);
			assertThat(registry.get("migrations.lock.wait").tag("target", "tenants").tag("outcome", "acquired")
				.timer().count()).isEqualTo(4);
			assertThat(registry.get("migrations.ddl.lock.retries").tag("target", "tenants").counter().count()).isZero();

			List<Meter> lockstep = registry.getMeters()
				.stream()
				.filter((meter) -> meter.getId().getName().startsWith("migrations."))
				.toList();
			assertThat(lockstep).allSatisfy((meter) -> assertThat(meter.getId().getTag("target"))
				.as(meter.getId().toString())
				.isIn("default", "billing", "tenants"));
			assertThat(lockstep).noneSatisfy((meter) -> assertThat(meter.getId().getTagsAsIterable().toString())
				.contains("tenant_0"));

			// A tenant migrated at runtime is counted with the others.
			app.bean(MigrationsRegistry.class).migrate("tenants", Tenant.schema("tenant_new"));
			assertThat(runs(registry, "tenants", "success")).isEqualTo(4);
			assertThat(tenants(registry, SchemaState.UP_TO_DATE)).isEqualTo(4);
			assertThat(gauge(registry, "migrations.changesets.applied", "tenants")).isEqualTo(13);
		}
	}

	@Test
	void fleetGaugesServeTheCachedSummaryAndFollowTheTenantsAfterIt() {
		TestDatabase db = TestDatabases.create();
		TestDatabase billing = TestDatabases.create();
		try (RunningApp app = RunningApp.start(db, targets(billing, 3, "migrations.status.cache-ttl=5s"))) {
			MeterRegistry registry = app.bean(MeterRegistry.class);
			assertThat(gauge(registry, "migrations.changesets.pending", "tenants")).isZero();
			// Another hand removes a changeset from one tenant's history.
			db.execute("DELETE FROM tenant_02.databasechangelog WHERE id = '3-accounts-email'");
			long start = System.nanoTime();
			for (int scrape = 0; scrape < 50; scrape++) {
				assertThat(gauge(registry, "migrations.changesets.pending", "tenants"))
					.as("within the cache period no tenant's status is read again")
					.isZero();
				assertThat(tenants(registry, SchemaState.UP_TO_DATE)).isEqualTo(3);
				registry.getMeters().forEach(Meter::measure);
			}
			System.out.printf("50 scrapes of all %d meters within the cache period: %.1f ms%n",
					registry.getMeters().size(), (System.nanoTime() - start) / 1e6);
			Awaitility.await()
				.atMost(Duration.ofSeconds(30))
				.until(() -> gauge(registry, "migrations.changesets.pending", "tenants") == 1);
			assertThat(tenants(registry, SchemaState.PENDING)).isEqualTo(1);
			assertThat(tenants(registry, SchemaState.UP_TO_DATE)).isEqualTo(2);
			assertThat(gauge(registry, "migrations.changesets.applied", "tenants")).isEqualTo(8);
			assertThat(state(registry, "tenants", SchemaState.PENDING)).isEqualTo(1);
			assertThat(state(registry, "tenants", SchemaState.UP_TO_DATE)).isZero();
		}
	}

	static String[] targets(TestDatabase billing, int tenants, String... more) {
		List<String> properties = new ArrayList<>(List.of("migrations.targets.billing.url=" + billing.url(),
				"migrations.targets.billing.change-log=classpath:db/billing/changelog.yaml",
				"migrations.targets.tenants.change-log=classpath:db/tenants/changelog.yaml",
				"migrations.targets.tenants.tenants.schemas=" + String.join(",",
						IntStream.rangeClosed(1, tenants).mapToObj((i) -> String.format("tenant_%02d", i)).toList())));
		properties.addAll(Arrays.asList(more));
		return properties.toArray(String[]::new);
	}

	private static double gauge(MeterRegistry registry, String name, String target) {
		return registry.get(name).tag("target", target).gauge().value();
	}

	private static double state(MeterRegistry registry, String target, SchemaState state) {
		return registry.get("migrations.state").tag("target", target).tag("state", state.name()).gauge().value();
	}

	private static double tenants(MeterRegistry registry, SchemaState state) {
		return registry.get("migrations.tenants").tag("target", "tenants").tag("state", state.name()).gauge().value();
	}

	private static long runs(MeterRegistry registry, String target, String outcome) {
		return registry.get("migrations.run").tag("target", target).tag("outcome", outcome).timer().count();
	}

}
