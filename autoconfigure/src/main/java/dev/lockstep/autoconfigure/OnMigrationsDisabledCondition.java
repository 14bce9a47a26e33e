package dev.lockstep.autoconfigure;

import org.springframework.boot.autoconfigure.condition.ConditionalOnBooleanProperty;
import org.springframework.boot.autoconfigure.condition.NoneNestedConditions;

/**
 * Matches exactly when {@link MigrationsAutoConfiguration}'s {@code migrations.enabled} condition does not: the
 * configurations that stand in for a switched-off Lockstep.
 */
final class OnMigrationsDisabledCondition extends NoneNestedConditions {

	OnMigrationsDisabledCondition() {
		super(ConfigurationPhase.PARSE_CONFIGURATION);
	}

	@ConditionalOnBooleanProperty(name = "migrations.enabled", matchIfMissing = true)
	private static final class MigrationsEnabled {

	}

}
