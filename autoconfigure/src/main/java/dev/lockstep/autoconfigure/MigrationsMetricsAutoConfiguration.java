package dev.lockstep.autoconfigure;

import io.micrometer.core.instrument.MeterRegistry;

import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.context.annotation.Bean;

import dev.lockstep.core.MigrationEngine;
import dev.lockstep.core.MigrationMonitor;
import dev.lockstep.core.targets.MigrationsRegistry;
import dev.lockstep.metrics.MigrationTargetsMetrics;
import dev.lockstep.metrics.MigrationsMetrics;

/**
 * Auto-configuration for Lockstep's Micrometer metrics, when Micrometer is present: the default target's meters and
 * those of the named targets, each tagged with its target.
 */
@AutoConfiguration(after = MigrationsAutoConfiguration.class)
@ConditionalOnClass(MeterRegistry.class)
@ConditionalOnBean(MigrationMonitor.class)
public final class MigrationsMetricsAutoConfiguration {

	@Bean
	@ConditionalOnMissingBean
	MigrationsMetrics migrationsMetrics(MigrationEngine migrationEngine, MigrationMonitor migrationMonitor) {
		return new MigrationsMetrics(migrationEngine, migrationMonitor);
	}

	@Bean
	@ConditionalOnMissingBean
	@ConditionalOnBean(MigrationsRegistry.class)
	MigrationTargetsMetrics migrationTargetsMetrics(MigrationsRegistry migrationsRegistry) {
		return new MigrationTargetsMetrics(migrationsRegistry);
	}

}
