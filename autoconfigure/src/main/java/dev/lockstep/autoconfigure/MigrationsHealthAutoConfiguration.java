package dev.lockstep.autoconfigure;

import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.health.autoconfigure.contributor.ConditionalOnEnabledHealthIndicator;
import org.springframework.boot.health.contributor.AbstractHealthIndicator;
import org.springframework.boot.health.contributor.Status;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Conditional;
import org.springframework.util.StringUtils;

import dev.lockstep.core.MigrationMonitor;
import dev.lockstep.core.targets.MigrationsRegistry;
import dev.lockstep.health.MigrationsHealthContributor;
import dev.lockstep.health.MigrationsHealthIndicator;

/**
 * Auto-configuration for the {@code migrations} health contributor.
 */
@AutoConfiguration(after = MigrationsAutoConfiguration.class)
@ConditionalOnClass({ AbstractHealthIndicator.class, ConditionalOnEnabledHealthIndicator.class })
@ConditionalOnBean(MigrationMonitor.class)
@ConditionalOnEnabledHealthIndicator("migrations")
public final class MigrationsHealthAutoConfiguration {

	@Bean
	@ConditionalOnMissingBean(name = "migrationsHealthIndicator")
	@Conditional(OnNamedTargetsCondition.Negated.class)
	MigrationsHealthIndicator migrationsHealthIndicator(MigrationMonitor migrationMonitor,
			MigrationsProperties properties) {
		return new MigrationsHealthIndicator(migrationMonitor, new Status(properties.getHealth().getPendingStatus()),
				new Status(properties.getDrift().getHealth()));
	}

	/**
	 * With named targets, {@code migrations} has one component per target (named after it, the top-level one
	 * {@code default}), each with its own {@code health.pending-status}.
	 */
	@Bean
	@ConditionalOnMissingBean(name = { "migrationsHealthIndicator", "migrationsHealthContributor" })
	@Conditional(OnNamedTargetsCondition.class)
	MigrationsHealthContributor migrationsHealthContributor(MigrationsRegistry migrationsRegistry,
			MigrationsProperties properties) {
		return new MigrationsHealthContributor(migrationsRegistry, (name) -> new Status(pendingStatus(properties, name)),
				new Status(properties.getDrift().getHealth()));
	}

	private static String pendingStatus(MigrationsProperties properties, String target) {
		MigrationsProperties.Target named = properties.getTargets().get(target);
		String own = (named != null) ? named.getHealth().getPendingStatus() : null;
		return StringUtils.hasText(own) ? own : properties.getHealth().getPendingStatus();
	}

}
