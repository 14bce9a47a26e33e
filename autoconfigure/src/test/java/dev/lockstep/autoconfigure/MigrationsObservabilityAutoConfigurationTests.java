package dev.lockstep.autoconfigure;

import io.micrometer.core.instrument.MeterRegistry;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.jdbc.autoconfigure.DataSourceAutoConfiguration;
import org.springframework.boot.test.context.FilteredClassLoader;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;

import dev.lockstep.core.MigrationMonitor;
import dev.lockstep.endpoint.MigrationsEndpoint;
import dev.lockstep.endpoint.MigrationsEndpointWebExtension;
import dev.lockstep.health.MigrationsHealthIndicator;
import dev.lockstep.metrics.MigrationsMetrics;
import dev.lockstep.test.TestDatabase;
import dev.lockstep.test.TestDatabases;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * When the endpoint, its web extension, the health contributor and the metrics are (not) configured.
 */
class MigrationsObservabilityAutoConfigurationTests {

	private static TestDatabase db;

	private ApplicationContextRunner runner() {
		return new ApplicationContextRunner()
			.withConfiguration(AutoConfigurations.of(DataSourceAutoConfiguration.class,
					MigrationsAutoConfiguration.class, MigrationsEndpointAutoConfiguration.class,
					MigrationsHealthAutoConfiguration.class, MigrationsMetricsAutoConfiguration.class))
			.withPropertyValues("spring.datasource.url=" + db.url(), "spring.datasource.username=" + db.user(),
					"spring.datasource.password=" + db.password(), "migrations.mode=report");
	}

	@BeforeAll
	static void database() {
		db = TestDatabases.create();
	}

	@Test
	void everythingWhenTheEndpointIsExposedOverTheWeb() {
		runner().withPropertyValues("management.endpoints.web.exposure.include=migrations").run((context) -> {
			assertThat(context).hasSingleBean(MigrationMonitor.class)
				.hasSingleBean(MigrationsEndpoint.class)
				.hasSingleBean(MigrationsEndpointWebExtension.class)
				.hasSingleBean(MigrationsMetrics.class)
				.hasBean("migrationsHealthIndicator");
			assertThat(context.getBean("migrationsHealthIndicator")).isInstanceOf(MigrationsHealthIndicator.class);
		});
	}

	@Test
	void noEndpointWhenItIsNotExposed() {
		runner().run((context) -> assertThat(context).hasSingleBean(MigrationMonitor.class)
			.doesNotHaveBean(MigrationsEndpoint.class)
			.doesNotHaveBean(MigrationsEndpointWebExtension.class)
			.hasBean("migrationsHealthIndicator"));
	}

	@Test
	void noWebExtensionWhenTheEndpointIsOnlyExposedOverJmx() {
		runner().withPropertyValues("spring.jmx.enabled=true", "management.endpoints.jmx.exposure.include=migrations")
			.run((context) -> assertThat(context).hasSingleBean(MigrationsEndpoint.class)
				.doesNotHaveBean(MigrationsEndpointWebExtension.class));
	}

	@Test
	void noEndpointWithoutAccess() {
		runner()
			.withPropertyValues("management.endpoints.web.exposure.include=migrations",
					"management.endpoint.migrations.access=NONE")
			.run((context) -> assertThat(context).hasNotFailed()
				.doesNotHaveBean(MigrationsEndpoint.class)
				.doesNotHaveBean(MigrationsEndpointWebExtension.class));
	}

	@Test
	void noMetricsWithoutMicrometer() {
		runner().withClassLoader(new FilteredClassLoader(MeterRegistry.class))
			.run((context) -> assertThat(context).hasSingleBean(MigrationMonitor.class)
				.doesNotHaveBean(MigrationsMetrics.class)
				.hasBean("migrationsHealthIndicator"));
	}

	@Test
	void noHealthContributorWhenDisabled() {
		runner().withPropertyValues("management.health.migrations.enabled=false")
			.run((context) -> assertThat(context).doesNotHaveBean("migrationsHealthIndicator")
				.hasSingleBean(MigrationsMetrics.class));
	}

	@Test
	void nothingWhenMigrationsAreDisabled() {
		runner().withPropertyValues("migrations.enabled=false", "management.endpoints.web.exposure.include=migrations")
			.run((context) -> assertThat(context).doesNotHaveBean(MigrationMonitor.class)
				.doesNotHaveBean(MigrationsEndpoint.class)
				.doesNotHaveBean("migrationsHealthIndicator")
				.doesNotHaveBean(MigrationsMetrics.class));
	}

}
