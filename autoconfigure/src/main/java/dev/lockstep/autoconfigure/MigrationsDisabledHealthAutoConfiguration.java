package dev.lockstep.autoconfigure;

import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.health.autoconfigure.contributor.ConditionalOnEnabledHealthIndicator;
import org.springframework.boot.health.contributor.HealthIndicator;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Conditional;

import dev.lockstep.health.MigrationsDisabledHealthIndicator;

/**
 * With {@code migrations.enabled=false}, the {@code migrations} health contributor stays and reports {@code UP}
 * with the state {@code DISABLED}, so that health groups that include it (e.g. readiness) keep working in every
 * environment. It touches no database.
 */
@AutoConfiguration
@ConditionalOnClass({ HealthIndicator.class, ConditionalOnEnabledHealthIndicator.class })
@Conditional(OnMigrationsDisabledCondition.class)
@ConditionalOnEnabledHealthIndicator("migrations")
public final class MigrationsDisabledHealthAutoConfiguration {

	@Bean
	@ConditionalOnMissingBean(name = "migrationsHealthIndicator")
	MigrationsDisabledHealthIndicator migrationsHealthIndicator() {
		return new MigrationsDisabledHealthIndicator();
	}

}
