package dev.lockstep.autoconfigure;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import org.springframework.boot.test.context.FilteredClassLoader;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.context.annotation.Bean;

import dev.lockstep.core.MigrationEngine;
import dev.lockstep.core.MigrationMonitor;
import dev.lockstep.metrics.MigrationsMetrics;
import dev.lockstep.test.ContextRunners;
import dev.lockstep.test.TestDatabase;
import dev.lockstep.test.TestDatabases;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Tests for {@link MigrationsMetricsAutoConfiguration}: Lockstep's meters, when Micrometer is present.
 */
class MigrationsMetricsAutoConfigurationTests {

	private static TestDatabase db;

	@BeforeAll
	static void database() {
		db = TestDatabases.create();
	}

	private ApplicationContextRunner runner() {
		return ContextRunners.onTheEngine(db, MigrationsMetricsAutoConfiguration.class);
	}

	@Test
	void metricsBindTheGauges() {
		runner().run((context) -> {
			assertThat(context).hasSingleBean(MigrationsMetrics.class);
			MeterRegistry registry = new SimpleMeterRegistry();
			context.getBean(MigrationsMetrics.class).bindTo(registry);
			assertThat(registry.get("migrations.changesets.pending").gauge().value()).isEqualTo(3);
		});
	}

	@Test
	void noMetricsWithoutMicrometer() {
		runner().withClassLoader(new FilteredClassLoader(MeterRegistry.class))
			.run((context) -> assertThat(context).hasNotFailed()
				.hasSingleBean(MigrationMonitor.class)
				.doesNotHaveBean(MigrationsMetrics.class));
	}

	@Test
	void noMetricsWhenMigrationsAreDisabled() {
		runner().withPropertyValues("migrations.enabled=false")
			.run((context) -> assertThat(context).doesNotHaveBean(MigrationsMetrics.class));
	}

	@Test
	void userDefinedMetricsWin() {
		runner().withUserConfiguration(OwnMetricsConfiguration.class)
			.run((context) -> assertThat(context).hasSingleBean(MigrationsMetrics.class).hasBean("ownMetrics"));
	}

	static class OwnMetricsConfiguration {

		@Bean
		MigrationsMetrics ownMetrics(MigrationEngine engine, MigrationMonitor monitor) {
			return new MigrationsMetrics(engine, monitor);
		}

	}

}
