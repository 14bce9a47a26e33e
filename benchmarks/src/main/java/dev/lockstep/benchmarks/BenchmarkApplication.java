package dev.lockstep.benchmarks;

import java.lang.management.ManagementFactory;
import java.util.List;

import org.springframework.beans.factory.config.BeanPostProcessor;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.boot.context.event.ApplicationReadyEvent;
import org.springframework.context.ApplicationListener;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.annotation.Bean;
import org.springframework.core.env.Environment;

import dev.lockstep.autoconfigure.MigrationEngineCustomizer;

/**
 * The application under test. Which migration support runs is set by the harness through properties:
 * {@code none} (neither), {@code baseline} (Spring Boot's Liquibase auto-configuration) or {@code lockstep}. It
 * prints machine-readable {@code BENCH} lines: when the migration step started and ended, and when the application
 * was ready.
 */
@SpringBootApplication
public class BenchmarkApplication {

	public static void main(String[] args) {
		ConfigurableApplicationContext context = SpringApplication.run(BenchmarkApplication.class, args);
		if (Boolean.parseBoolean(context.getEnvironment().getProperty("bench.exit-after-start", "true"))) {
			System.exit(SpringApplication.exit(context));
		}
	}

	@Bean
	static BeanPostProcessor migrationStepTimer() {
		return new BeanPostProcessor() {

			private long startNanos;

			@Override
			public Object postProcessBeforeInitialization(Object bean, String beanName) {
				if (isMigrationStep(beanName)) {
					this.startNanos = System.nanoTime();
					System.out.println("BENCH migration-start " + System.currentTimeMillis());
				}
				return bean;
			}

			@Override
			public Object postProcessAfterInitialization(Object bean, String beanName) {
				if (isMigrationStep(beanName)) {
					long millis = (System.nanoTime() - this.startNanos) / 1_000_000;
					System.out.println("BENCH migration-end " + System.currentTimeMillis() + " " + millis);
				}
				return bean;
			}

			private boolean isMigrationStep(String beanName) {
				return beanName.equals("liquibase") || beanName.equals("migrationsInitializer");
			}

		};
	}

	/** {@code bench.drift-recording=false}: runs do not record the schema (the recording's cost, measured). */
	@Bean
	MigrationEngineCustomizer driftRecording(Environment environment) {
		return (engine) -> {
			if (!Boolean.parseBoolean(environment.getProperty("bench.drift-recording", "true"))) {
				engine.configureDrift(false, List.of());
			}
		};
	}

	@Bean
	ApplicationListener<ApplicationReadyEvent> readyPrinter() {
		return (event) -> System.out.println("BENCH ready " + System.currentTimeMillis() + " "
				+ ManagementFactory.getRuntimeMXBean().getUptime());
	}

}
