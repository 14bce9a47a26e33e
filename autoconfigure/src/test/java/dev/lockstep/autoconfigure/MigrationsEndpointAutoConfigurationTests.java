package dev.lockstep.autoconfigure;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import org.springframework.boot.actuate.autoconfigure.endpoint.condition.ConditionalOnAvailableEndpoint;
import org.springframework.boot.test.context.FilteredClassLoader;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.context.annotation.Bean;

import dev.lockstep.core.MigrationMonitor;
import dev.lockstep.endpoint.MigrationsEndpoint;
import dev.lockstep.endpoint.MigrationsEndpointWebExtension;
import dev.lockstep.test.ContextRunners;
import dev.lockstep.test.TestDatabase;
import dev.lockstep.test.TestDatabases;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Tests for {@link MigrationsEndpointAutoConfiguration}: the {@code migrations} endpoint and its web extension,
 * when the endpoint is available and a monitor exists.
 */
class MigrationsEndpointAutoConfigurationTests {

	private static TestDatabase db;

	@BeforeAll
	static void database() {
		db = TestDatabases.create();
	}

	private ApplicationContextRunner runner() {
		return ContextRunners.onTheEngine(db, MigrationsEndpointAutoConfiguration.class);
	}

	@Test
	void endpointAndWebExtensionWhenExposedOverTheWeb() {
		runner().withPropertyValues("management.endpoints.web.exposure.include=migrations")
			.run((context) -> assertThat(context).hasSingleBean(MigrationMonitor.class)
				.hasSingleBean(MigrationsEndpoint.class)
				.hasSingleBean(MigrationsEndpointWebExtension.class));
	}

	@Test
	void noEndpointWhenItIsNotExposed() {
		runner().run((context) -> assertThat(context).hasSingleBean(MigrationMonitor.class)
			.doesNotHaveBean(MigrationsEndpoint.class)
			.doesNotHaveBean(MigrationsEndpointWebExtension.class));
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
	void noEndpointWithoutActuator() {
		runner().withPropertyValues("management.endpoints.web.exposure.include=migrations")
			.withClassLoader(new FilteredClassLoader(ConditionalOnAvailableEndpoint.class))
			.run((context) -> assertThat(context).hasNotFailed()
				.hasSingleBean(MigrationMonitor.class)
				.doesNotHaveBean(MigrationsEndpoint.class));
	}

	@Test
	void noEndpointWhenMigrationsAreDisabled() {
		runner().withPropertyValues("migrations.enabled=false", "management.endpoints.web.exposure.include=migrations")
			.run((context) -> assertThat(context).doesNotHaveBean(MigrationMonitor.class)
				.doesNotHaveBean(MigrationsEndpoint.class));
	}

	@Test
	void userDefinedEndpointWins() {
		runner().withPropertyValues("management.endpoints.web.exposure.include=migrations")
			.withUserConfiguration(OwnEndpointConfiguration.class)
			.run((context) -> assertThat(context).hasSingleBean(MigrationsEndpoint.class)
				.hasBean("ownEndpoint")
				.hasSingleBean(MigrationsEndpointWebExtension.class));
	}

	static class OwnEndpointConfiguration {

		@Bean
		MigrationsEndpoint ownEndpoint(MigrationMonitor monitor) {
			return new MigrationsEndpoint(monitor, "classpath:own.yaml");
		}

	}

}
