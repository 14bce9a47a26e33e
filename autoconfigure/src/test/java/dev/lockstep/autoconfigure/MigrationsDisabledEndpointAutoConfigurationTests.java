package dev.lockstep.autoconfigure;

import org.junit.jupiter.api.Test;

import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;

import dev.lockstep.core.MigrationEngine;
import dev.lockstep.core.MigrationMonitor;
import dev.lockstep.endpoint.MigrationsDisabledEndpoint;
import dev.lockstep.endpoint.MigrationsEndpoint;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Tests for {@link MigrationsDisabledEndpointAutoConfiguration}: with {@code migrations.enabled=false} the
 * {@code migrations} endpoint stays and says {@code DISABLED}, with no database at all.
 */
class MigrationsDisabledEndpointAutoConfigurationTests {

	/** Lockstep's own and its endpoint's auto-configurations, and no DataSource: a disabled Lockstep needs none. */
	private final ApplicationContextRunner runner = new ApplicationContextRunner()
		.withConfiguration(AutoConfigurations.of(MigrationsAutoConfiguration.class,
				MigrationsEndpointAutoConfiguration.class, MigrationsDisabledEndpointAutoConfiguration.class))
		.withPropertyValues("management.endpoints.web.exposure.include=migrations");

	@Test
	void disabledKeepsAnEndpointThatSaysDisabled() {
		this.runner.withPropertyValues("migrations.enabled=false").run((context) -> {
			assertThat(context).hasNotFailed()
				.hasSingleBean(MigrationsDisabledEndpoint.class)
				.doesNotHaveBean(MigrationEngine.class)
				.doesNotHaveBean(MigrationMonitor.class)
				.doesNotHaveBean(MigrationsEndpoint.class);
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
			.run((context) -> assertThat(context).hasSingleBean(MigrationsDisabledEndpoint.class));
	}

	@Test
	void enabledByDefaultLeavesTheDisabledEndpointOut() {
		this.runner.run((context) -> assertThat(context).hasNotFailed()
			.doesNotHaveBean(MigrationsDisabledEndpoint.class));
		this.runner.withPropertyValues("migrations.enabled=true")
			.run((context) -> assertThat(context).doesNotHaveBean(MigrationsDisabledEndpoint.class));
	}

	@Test
	void disabledEndpointFollowsTheEndpointAccessAndExposure() {
		this.runner.withPropertyValues("migrations.enabled=false", "management.endpoint.migrations.access=NONE")
			.run((context) -> assertThat(context).doesNotHaveBean(MigrationsDisabledEndpoint.class));
		new ApplicationContextRunner()
			.withConfiguration(AutoConfigurations.of(MigrationsDisabledEndpointAutoConfiguration.class))
			.withPropertyValues("migrations.enabled=false")
			.run((context) -> assertThat(context).doesNotHaveBean(MigrationsDisabledEndpoint.class));
	}

	@Test
	void userDefinedDisabledEndpointWins() {
		MigrationsDisabledEndpoint own = new MigrationsDisabledEndpoint();
		this.runner.withPropertyValues("migrations.enabled=false")
			.withBean("ownEndpoint", MigrationsDisabledEndpoint.class, () -> own)
			.run((context) -> assertThat(context).getBean(MigrationsDisabledEndpoint.class).isSameAs(own));
	}

}
