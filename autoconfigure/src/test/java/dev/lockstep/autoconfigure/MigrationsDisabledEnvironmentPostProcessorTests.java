package dev.lockstep.autoconfigure;

import java.util.function.Supplier;

import org.junit.jupiter.api.Test;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.test.context.FilteredClassLoader;
import org.springframework.core.io.DefaultResourceLoader;
import org.springframework.mock.env.MockEnvironment;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * With {@code migrations.enabled} off, Spring Boot's own Liquibase auto-configuration must not step in and run the
 * changelog unlocked, unless the user asks for it explicitly. (MigrationsModeTests shows the effect in real
 * applications: no history table at all.)
 */
class MigrationsDisabledEnvironmentPostProcessorTests {

	private final MigrationsDisabledEnvironmentPostProcessor postProcessor = new MigrationsDisabledEnvironmentPostProcessor(
			Supplier::get);

	@Test
	void switchesSpringBootsLiquibaseOffWhenMigrationsAreDisabled() {
		MockEnvironment environment = new MockEnvironment().withProperty("migrations.enabled", "false");
		this.postProcessor.postProcessEnvironment(environment, new SpringApplication());
		assertThat(environment.getProperty("spring.liquibase.enabled")).isEqualTo("false");
	}

	@Test
	void treatsAnyValueButTrueAsDisabledLikeTheAutoConfigurationsCondition() {
		MockEnvironment environment = new MockEnvironment().withProperty("migrations.enabled", "flase");
		this.postProcessor.postProcessEnvironment(environment, new SpringApplication());
		assertThat(environment.getProperty("spring.liquibase.enabled")).isEqualTo("false");
	}

	@Test
	void leavesSpringBootsLiquibaseAloneWhenMigrationsAreEnabled() {
		for (MockEnvironment environment : new MockEnvironment[] { new MockEnvironment(),
				new MockEnvironment().withProperty("migrations.enabled", "TRUE") }) {
			this.postProcessor.postProcessEnvironment(environment, new SpringApplication());
			assertThat(environment.getPropertySources()
				.contains(MigrationsDisabledEnvironmentPostProcessor.PROPERTY_SOURCE_NAME)).isFalse();
		}
	}

	@Test
	void explicitSpringLiquibaseEnabledWins() {
		MockEnvironment environment = new MockEnvironment().withProperty("migrations.enabled", "false")
			.withProperty("spring.liquibase.enabled", "true");
		this.postProcessor.postProcessEnvironment(environment, new SpringApplication());
		assertThat(environment.getProperty("spring.liquibase.enabled")).isEqualTo("true");
	}

	@Test
	void doesNothingWithoutSpringBootsLiquibaseModule() {
		MockEnvironment environment = new MockEnvironment().withProperty("migrations.enabled", "false");
		SpringApplication application = new SpringApplication();
		application.setResourceLoader(new DefaultResourceLoader(
				new FilteredClassLoader("org.springframework.boot.liquibase.autoconfigure")));
		this.postProcessor.postProcessEnvironment(environment, application);
		assertThat(environment.containsProperty("spring.liquibase.enabled")).isFalse();
	}

}
