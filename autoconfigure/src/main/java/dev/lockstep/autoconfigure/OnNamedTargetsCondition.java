package dev.lockstep.autoconfigure;

import java.util.Map;
import java.util.Set;

import org.springframework.boot.autoconfigure.condition.ConditionOutcome;
import org.springframework.boot.autoconfigure.condition.SpringBootCondition;
import org.springframework.boot.context.properties.bind.Bindable;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.context.annotation.ConditionContext;
import org.springframework.core.env.Environment;
import org.springframework.core.type.AnnotatedTypeMetadata;

/**
 * Matches when named targets are configured ({@code migrations.targets.<name>.*}); with {@link Negated}, when none
 * is. Health then has one component per target instead of the default target's alone.
 */
class OnNamedTargetsCondition extends SpringBootCondition {

	@Override
	public ConditionOutcome getMatchOutcome(ConditionContext context, AnnotatedTypeMetadata metadata) {
		Set<String> names = targetNames(context.getEnvironment());
		return names.isEmpty() ? ConditionOutcome.noMatch("no migrations.targets configured")
				: ConditionOutcome.match("migrations.targets " + names);
	}

	/** The names of the configured targets, in the order they are configured. */
	static Set<String> targetNames(Environment environment) {
		return Binder.get(environment)
			.bind("migrations.targets", Bindable.mapOf(String.class, MigrationsProperties.Target.class))
			.map(Map::keySet)
			.orElse(Set.of());
	}

	/** Matches when no named target is configured. */
	static final class Negated extends SpringBootCondition {

		@Override
		public ConditionOutcome getMatchOutcome(ConditionContext context, AnnotatedTypeMetadata metadata) {
			Set<String> names = targetNames(context.getEnvironment());
			return names.isEmpty() ? ConditionOutcome.match("no migrations.targets configured")
					: ConditionOutcome.noMatch("migrations.targets " + names);
		}

	}

}
