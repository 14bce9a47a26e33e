package dev.lockstep.corpora;

import java.net.URLClassLoader;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import liquibase.integration.spring.SpringLiquibase;

import org.springframework.beans.factory.config.BeanPostProcessor;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.WebApplicationType;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.annotation.Bean;
import org.springframework.core.io.DefaultResourceLoader;

import dev.lockstep.autoconfigure.HistoryOnlySpringLiquibase;
import dev.lockstep.autoconfigure.MigrationsInitializer;

/**
 * A plain Spring Boot application (full auto-configuration, no component scan) whose resources come from a given
 * class loader, so that a corpus folder can be its classpath root. Whether Lockstep or Spring Boot's own Liquibase
 * auto-configuration migrates depends only on the arguments.
 */
@SpringBootConfiguration(proxyBeanMethods = false)
@EnableAutoConfiguration
class CorpusApp {

	@Bean
	static MigrationTimer migrationTimer() {
		return new MigrationTimer();
	}

	static ConfigurableApplicationContext run(URLClassLoader classLoader, String... args) {
		SpringApplication application = new SpringApplication(new DefaultResourceLoader(classLoader), CorpusApp.class);
		application.setWebApplicationType(WebApplicationType.NONE);
		return application.run(args);
	}

	/**
	 * Measures the initialization of the bean that migrates: Lockstep's {@link MigrationsInitializer} or Spring
	 * Boot's {@link SpringLiquibase}.
	 */
	static final class MigrationTimer implements BeanPostProcessor {

		private final Map<String, Long> started = new ConcurrentHashMap<>();

		private volatile long millis = -1;

		private volatile String migrator;

		@Override
		public Object postProcessBeforeInitialization(Object bean, String beanName) {
			if (isMigrator(bean)) {
				this.started.put(beanName, System.nanoTime());
			}
			return bean;
		}

		@Override
		public Object postProcessAfterInitialization(Object bean, String beanName) {
			Long start = this.started.remove(beanName);
			if (start != null) {
				this.millis = (System.nanoTime() - start) / 1_000_000;
				this.migrator = bean.getClass().getSimpleName();
			}
			return bean;
		}

		private static boolean isMigrator(Object bean) {
			return bean instanceof MigrationsInitializer
					|| (bean instanceof SpringLiquibase && !(bean instanceof HistoryOnlySpringLiquibase));
		}

		/** How long the migrating bean took to initialize, or -1 when none did. */
		long millis() {
			return this.millis;
		}

		/** Simple class name of the bean that migrated, or {@code null}. */
		String migrator() {
			return this.migrator;
		}

	}

}
