package dev.lockstep.autoconfigure;

import java.util.Map;

import org.apache.commons.logging.Log;

import org.springframework.boot.EnvironmentPostProcessor;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.logging.DeferredLogFactory;
import org.springframework.core.Ordered;
import org.springframework.core.env.ConfigurableEnvironment;
import org.springframework.core.env.MapPropertySource;
import org.springframework.util.ClassUtils;

/**
 * Makes {@code migrations.enabled=false} mean that no migration runs at startup at all. Without it, Spring Boot's
 * own Liquibase auto-configuration (present when {@code spring-boot-liquibase} is on the classpath) would step in
 * for the disabled starter and run the same changelog, at the same default location, without Lockstep's lock.
 * An explicit {@code spring.liquibase.enabled} always wins.
 */
class MigrationsDisabledEnvironmentPostProcessor implements EnvironmentPostProcessor, Ordered {

	static final String PROPERTY_SOURCE_NAME = "lockstep-disabled";

	private static final String LIQUIBASE_AUTO_CONFIGURATION = "org.springframework.boot.liquibase.autoconfigure.LiquibaseAutoConfiguration";

	private final Log logger;

	MigrationsDisabledEnvironmentPostProcessor(DeferredLogFactory logFactory) {
		this.logger = logFactory.getLog(MigrationsDisabledEnvironmentPostProcessor.class);
	}

	@Override
	public int getOrder() {
		// After the config data (application-<profile>.yaml) is loaded.
		return Ordered.LOWEST_PRECEDENCE;
	}

	@Override
	public void postProcessEnvironment(ConfigurableEnvironment environment, SpringApplication application) {
		// Mirrors @ConditionalOnBooleanProperty("migrations.enabled"): set to anything but true, Lockstep is off.
		String enabled = environment.getProperty("migrations.enabled");
		if (enabled == null || "true".equalsIgnoreCase(enabled)
				|| environment.containsProperty("spring.liquibase.enabled")
				|| !ClassUtils.isPresent(LIQUIBASE_AUTO_CONFIGURATION, application.getClassLoader())) {
			return;
		}
		environment.getPropertySources()
			.addLast(new MapPropertySource(PROPERTY_SOURCE_NAME, Map.of("spring.liquibase.enabled", "false")));
		this.logger.info("migrations.enabled=" + enabled + ": no migration runs at startup, Spring Boot's Liquibase "
				+ "auto-configuration stays off too (set spring.liquibase.enabled=true to run it)");
	}

}
