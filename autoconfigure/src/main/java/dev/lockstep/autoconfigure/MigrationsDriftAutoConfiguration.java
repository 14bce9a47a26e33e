package dev.lockstep.autoconfigure;

import java.time.Duration;

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
			MigrationsProperties properties) {
		return new MigrationsDriftSchedule(migrationMonitor, properties.getDrift().getInterval());
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
