package dev.lockstep.autoconfigure;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.actuate.autoconfigure.endpoint.condition.ConditionalOnAvailableEndpoint;
import org.springframework.boot.actuate.autoconfigure.endpoint.expose.EndpointExposure;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.context.annotation.Bean;

import dev.lockstep.core.MigrationMonitor;
import dev.lockstep.core.targets.MigrationsRegistry;
import dev.lockstep.endpoint.MigrationsEndpoint;
import dev.lockstep.endpoint.MigrationsEndpointWebExtension;

/**
 * Auto-configuration for the {@code migrations} actuator endpoint.
 */
@AutoConfiguration(after = MigrationsAutoConfiguration.class)
@ConditionalOnClass(ConditionalOnAvailableEndpoint.class)
@ConditionalOnAvailableEndpoint(MigrationsEndpoint.class)
public final class MigrationsEndpointAutoConfiguration {

	@Bean
	@ConditionalOnBean(MigrationMonitor.class)
	@ConditionalOnMissingBean
	MigrationsEndpoint migrationsEndpoint(MigrationMonitor migrationMonitor, MigrationsProperties properties,
			ObjectProvider<MigrationsRegistry> migrationsRegistry) {
		return new MigrationsEndpoint(migrationMonitor, properties.getChangeLog(),
				migrationsRegistry.getIfAvailable());
	}

	@Bean
	@ConditionalOnBean(MigrationsEndpoint.class)
	@ConditionalOnMissingBean
	@ConditionalOnAvailableEndpoint(exposure = EndpointExposure.WEB)
	MigrationsEndpointWebExtension migrationsEndpointWebExtension(MigrationsEndpoint migrationsEndpoint) {
		return new MigrationsEndpointWebExtension(migrationsEndpoint);
	}

}
