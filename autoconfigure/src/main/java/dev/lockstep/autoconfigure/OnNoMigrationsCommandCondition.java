package dev.lockstep.autoconfigure;

import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.boot.autoconfigure.condition.NoneNestedConditions;

import dev.lockstep.command.MigrationsCommandEnvironmentPostProcessor;

/**
 * Matches unless the application was started to run a {@code migrations <command>}: then the command, not the
 * startup run, touches the database.
 */
final class OnNoMigrationsCommandCondition extends NoneNestedConditions {

	OnNoMigrationsCommandCondition() {
		super(ConfigurationPhase.REGISTER_BEAN);
	}

	@ConditionalOnProperty(MigrationsCommandEnvironmentPostProcessor.COMMAND_PROPERTY)
	private static final class RunningMigrationsCommand {

	}

}
