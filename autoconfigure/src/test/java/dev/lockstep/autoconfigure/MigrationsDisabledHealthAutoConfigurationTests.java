package dev.lockstep.autoconfigure;

import org.junit.jupiter.api.Test;

import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.HealthIndicator;
import org.springframework.boot.health.contributor.Status;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;

import dev.lockstep.core.MigrationEngine;
import dev.lockstep.health.MigrationsDisabledHealthIndicator;
import dev.lockstep.health.MigrationsHealthIndicator;
import dev.lockstep.metrics.MigrationsMetrics;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Tests for {@link MigrationsDisabledHealthAutoConfiguration}: with {@code migrations.enabled=false} the
 * {@code migrations} health contributor stays and says {@code UP} with the state {@code DISABLED}, with no
 * database at all.
 */
class MigrationsDisabledHealthAutoConfigurationTests {

	/** Every Lockstep auto-configuration but the endpoints', and no DataSource: a disabled Lockstep needs none. */
	private final ApplicationContextRunner runner = new ApplicationContextRunner()
		.withConfiguration(AutoConfigurations.of(MigrationsAutoConfiguration.class,
				MigrationsHealthAutoConfiguration.class, MigrationsMetricsAutoConfiguration.class,
				MigrationsDisabledHealthAutoConfiguration.class));

	@Test
	void disabledKeepsAHealthContributorThatSaysDisabled() {
		this.runner.withPropertyValues("migrations.enabled=false").run((context) -> {
			assertThat(context).hasNotFailed()
				.hasSingleBean(MigrationsDisabledHealthIndicator.class)
				.doesNotHaveBean(MigrationEngine.class)
				.doesNotHaveBean(MigrationsHealthIndicator.class)
				.doesNotHaveBean(MigrationsMetrics.class);
			Health health = context.getBean("migrationsHealthIndicator", HealthIndicator.class).health();
			assertThat(health.getStatus()).isEqualTo(Status.UP);
			assertThat(health.getDetails()).containsEntry("state", "DISABLED");
		});
	}

	@Test
	void anyValueButTrueDisables() {
		this.runner.withPropertyValues("migrations.enabled=FALSE")
			.run((context) -> assertThat(context).hasSingleBean(MigrationsDisabledHealthIndicator.class));
	}

	@Test
	void enabledByDefaultLeavesTheDisabledContributorOut() {
		this.runner.run((context) -> assertThat(context).hasNotFailed()
			.doesNotHaveBean(MigrationsDisabledHealthIndicator.class));
		this.runner.withPropertyValues("migrations.enabled=true")
			.run((context) -> assertThat(context).doesNotHaveBean(MigrationsDisabledHealthIndicator.class));
	}

	@Test
	void disabledHealthContributorFollowsItsOwnSwitch() {
		this.runner.withPropertyValues("migrations.enabled=false", "management.health.migrations.enabled=false")
			.run((context) -> assertThat(context).doesNotHaveBean("migrationsHealthIndicator"));
	}

	@Test
	void userDefinedContributorNamedMigrationsWins() {
		HealthIndicator own = () -> Health.down().build();
		this.runner.withPropertyValues("migrations.enabled=false")
			.withBean("migrationsHealthIndicator", HealthIndicator.class, () -> own)
			.run((context) -> assertThat(context).doesNotHaveBean(MigrationsDisabledHealthIndicator.class)
				.getBean("migrationsHealthIndicator")
				.isSameAs(own));
	}

}
