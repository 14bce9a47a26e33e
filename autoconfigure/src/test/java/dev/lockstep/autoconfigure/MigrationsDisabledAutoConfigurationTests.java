package dev.lockstep.autoconfigure;

import org.junit.jupiter.api.Test;

import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.HealthIndicator;
import org.springframework.boot.health.contributor.Status;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;

import dev.lockstep.core.MigrationEngine;
import dev.lockstep.core.MigrationMonitor;
import dev.lockstep.endpoint.MigrationsDisabledEndpoint;
import dev.lockstep.endpoint.MigrationsEndpoint;
import dev.lockstep.health.MigrationsDisabledHealthIndicator;
import dev.lockstep.metrics.MigrationsMetrics;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Tests for {@link MigrationsDisabledEndpointAutoConfiguration} and
 * {@link MigrationsDisabledHealthAutoConfiguration}: with {@code migrations.enabled=false} the endpoint and the
 * health contributor stay and say {@code DISABLED}, with no database at all.
 */
class MigrationsDisabledAutoConfigurationTests {

	/** Every Lockstep auto-configuration, and no DataSource: a disabled Lockstep needs none. */
	private final ApplicationContextRunner runner = new ApplicationContextRunner()
		.withConfiguration(AutoConfigurations.of(MigrationsAutoConfiguration.class,
				MigrationsEndpointAutoConfiguration.class, MigrationsHealthAutoConfiguration.class,
				MigrationsMetricsAutoConfiguration.class, MigrationsDisabledEndpointAutoConfiguration.class,
				MigrationsDisabledHealthAutoConfiguration.class))
		.withPropertyValues("management.endpoints.web.exposure.include=migrations");

	@Test
	void disabledKeepsEndpointAndHealthContributorThatSayDisabled() {
		this.runner.withPropertyValues("migrations.enabled=false").run((context) -> {
			assertThat(context).hasNotFailed()
				.hasSingleBean(MigrationsDisabledEndpoint.class)
				.hasBean("migrationsHealthIndicator")
				.doesNotHaveBean(MigrationEngine.class)
				.doesNotHaveBean(MigrationMonitor.class)
				.doesNotHaveBean(MigrationsEndpoint.class)
				.doesNotHaveBean(MigrationsMetrics.class);
			Health health = context.getBean("migrationsHealthIndicator", HealthIndicator.class).health();
			assertThat(health.getStatus()).isEqualTo(Status.UP);
			assertThat(health.getDetails()).containsEntry("state", "DISABLED");
			MigrationsDisabledEndpoint endpoint = context.getBean(MigrationsDisabledEndpoint.class);
			assertThat(endpoint.status().state()).isEqualTo("DISABLED");
			assertThat(endpoint.part("history")).isEqualTo(endpoint.status());
			assertThat(endpoint.part("pending")).isEqualTo(endpoint.status());
			assertThat(endpoint.part("nonsense")).isNull();
		});
	}

	@Test
	void anyValueButTrueDisables() {
		this.runner.withPropertyValues("migrations.enabled=FALSE")
			.run((context) -> assertThat(context).hasSingleBean(MigrationsDisabledEndpoint.class)
				.hasSingleBean(MigrationsDisabledHealthIndicator.class));
	}

	@Test
	void enabledByDefaultLeavesTheDisabledConfigurationOut() {
		this.runner.run((context) -> assertThat(context).hasNotFailed()
			.doesNotHaveBean(MigrationsDisabledEndpoint.class)
			.doesNotHaveBean(MigrationsDisabledHealthIndicator.class));
		this.runner.withPropertyValues("migrations.enabled=true")
			.run((context) -> assertThat(context).doesNotHaveBean(MigrationsDisabledEndpoint.class)
				.doesNotHaveBean(MigrationsDisabledHealthIndicator.class));
	}

	@Test
	void disabledEndpointFollowsTheEndpointAccessAndExposure() {
		this.runner.withPropertyValues("migrations.enabled=false", "management.endpoint.migrations.access=NONE")
			.run((context) -> assertThat(context).doesNotHaveBean(MigrationsDisabledEndpoint.class)
				.hasBean("migrationsHealthIndicator"));
		new ApplicationContextRunner()
			.withConfiguration(AutoConfigurations.of(MigrationsDisabledEndpointAutoConfiguration.class,
					MigrationsDisabledHealthAutoConfiguration.class))
			.withPropertyValues("migrations.enabled=false")
			.run((context) -> assertThat(context).doesNotHaveBean(MigrationsDisabledEndpoint.class)
				.hasBean("migrationsHealthIndicator"));
	}

	@Test
	void disabledHealthContributorFollowsItsOwnSwitch() {
		this.runner.withPropertyValues("migrations.enabled=false", "management.health.migrations.enabled=false")
			.run((context) -> assertThat(context).doesNotHaveBean("migrationsHealthIndicator")
				.hasSingleBean(MigrationsDisabledEndpoint.class));
	}

}
