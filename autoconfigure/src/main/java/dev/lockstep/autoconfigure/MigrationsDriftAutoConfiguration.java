package dev.lockstep.autoconfigure;

import java.util.List;

import java.time.Duration;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionOutcome;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBooleanProperty;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.autoconfigure.condition.SpringBootCondition;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.ConditionContext;
import org.springframework.context.annotation.Conditional;
import org.springframework.core.type.AnnotatedTypeMetadata;

import dev.lockstep.core.MigrationMonitor;
import dev.lockstep.core.targets.MigrationTarget;
import dev.lockstep.core.targets.MigrationsRegistry;

/**
 * Background drift checks every {@code migrations.drift.interval}: not with drift switched off, an interval of
 * {@code 0} (checks only at startup and on demand), migrations switched off, or in a {@code migrations <command>}
 * run.
 */
@AutoConfiguration(after = MigrationsAutoConfiguration.class)
@ConditionalOnBean(MigrationMonitor.class)
@ConditionalOnBooleanProperty(name = "migrations.drift.enabled", matchIfMissing = true)
@Conditional({ OnNoMigrationsCommandCondition.class, MigrationsDriftAutoConfiguration.OnDriftInterval.class })
public final class MigrationsDriftAutoConfiguration {

	@Bean
	@ConditionalOnMissingBean
	MigrationsDriftSchedule migrationsDriftSchedule(MigrationMonitor migrationMonitor,
			MigrationsProperties properties, ObjectProvider<MigrationsRegistry> registry) {
		MigrationsRegistry targets = registry.getIfAvailable();
		List<MigrationMonitor> others = (targets != null) ? targets.targets()
			.stream()
			.filter((target) -> !target.hasTenants() && !MigrationTarget.DEFAULT.equals(target.name()))
			.map(MigrationTarget::monitor)
			.toList() : List.of();
		return new MigrationsDriftSchedule(migrationMonitor, properties.getDrift().getInterval(), others);
	}

	/** Matches when {@code migrations.drift.interval} is positive (default 10 minutes). */
	static final class OnDriftInterval extends SpringBootCondition {

		@Override
		public ConditionOutcome getMatchOutcome(ConditionContext context, AnnotatedTypeMetadata metadata) {
			Duration interval = Binder.get(context.getEnvironment())
				.bind("migrations.drift.interval", Duration.class)
				.orElse(new MigrationsProperties.Drift().getInterval());
			return (interval.isZero() || interval.isNegative())
					? ConditionOutcome.noMatch("migrations.drift.interval is " + interval
							+ ": drift is checked only at startup and on demand")
					: ConditionOutcome.match("migrations.drift.interval is " + interval);
		}

	}

}
