package dev.lockstep.autoconfigure;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.context.annotation.Bean;

import dev.lockstep.command.MigrationsCommandEnvironmentPostProcessor;
import dev.lockstep.command.MigrationsCommandRunner;
import dev.lockstep.core.targets.MigrationsRegistry;

/**
 * Auto-configuration for {@code java -jar app.jar migrations <command>}: when the application was started to run
 * a command ({@link MigrationsCommandEnvironmentPostProcessor}), registers the runner that runs it on the target
 * {@code --target} names (the default one without it) once the context is ready and exits with its code. Without
 * targets (Lockstep switched off, or no DataSource) the runner says so and exits non-zero.
 */
@AutoConfiguration(after = MigrationsAutoConfiguration.class)
@ConditionalOnProperty(MigrationsCommandEnvironmentPostProcessor.COMMAND_PROPERTY)
public final class MigrationsCommandAutoConfiguration {

	@Bean
	@ConditionalOnMissingBean
	MigrationsCommandRunner migrationsCommandRunner(ObjectProvider<MigrationsRegistry> migrationsRegistry) {
		return new MigrationsCommandRunner(migrationsRegistry.getIfUnique());
	}

}
