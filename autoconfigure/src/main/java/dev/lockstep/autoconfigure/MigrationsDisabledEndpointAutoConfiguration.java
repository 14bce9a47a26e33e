package dev.lockstep.autoconfigure;

import org.springframework.boot.actuate.autoconfigure.endpoint.condition.ConditionalOnAvailableEndpoint;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Conditional;
import org.springframework.core.env.Environment;

import dev.lockstep.endpoint.MigrationsDisabledEndpoint;

/**
 * With {@code migrations.enabled=false}, the {@code migrations} endpoint stays and answers
 * {@code {"state":"DISABLED"}}, without touching a database (none is needed).
 */
@AutoConfiguration
@ConditionalOnClass(ConditionalOnAvailableEndpoint.class)
@Conditional(OnMigrationsDisabledCondition.class)
@ConditionalOnAvailableEndpoint(MigrationsDisabledEndpoint.class)
public final class MigrationsDisabledEndpointAutoConfiguration {

	@Bean
	@ConditionalOnMissingBean
	MigrationsDisabledEndpoint migrationsDisabledEndpoint(Environment environment) {
		return new MigrationsDisabledEndpoint(OnNamedTargetsCondition.targetNames(environment));
	}

}
