package dev.lockstep.test;

import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.jdbc.autoconfigure.DataSourceAutoConfiguration;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;

import dev.lockstep.autoconfigure.MigrationsAutoConfiguration;

/**
 * {@link ApplicationContextRunner}s for the auto-configurations that build on the engine.
 */
public final class ContextRunners {

	private ContextRunners() {
	}

	/**
	 * The application's DataSource on the given database, Lockstep's engine in report mode (it reads the status and
	 * changes nothing) and the auto-configuration under test.
	 */
	public static ApplicationContextRunner onTheEngine(TestDatabase db, Class<?> autoConfiguration) {
		return new ApplicationContextRunner()
			.withConfiguration(AutoConfigurations.of(DataSourceAutoConfiguration.class,
					MigrationsAutoConfiguration.class, autoConfiguration))
			.withPropertyValues("spring.datasource.url=" + db.url(), "spring.datasource.username=" + db.user(),
					"spring.datasource.password=" + db.password(), "migrations.mode=report");
	}

}
