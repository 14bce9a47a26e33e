package dev.lockstep.health;

import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.HealthIndicator;

import dev.lockstep.core.api.SchemaState;

/**
 * Health contributor {@code migrations} while migrations are switched off ({@code migrations.enabled=false}):
 * always {@code UP} with the state {@code DISABLED}, without touching the database, so that health groups that
 * include {@code migrations} (e.g. readiness) keep working in every environment.
 */
public class MigrationsDisabledHealthIndicator implements HealthIndicator {

	private static final Health DISABLED = Health.up().withDetail("state", SchemaState.DISABLED.name()).build();

	@Override
	public Health health() {
		return DISABLED;
	}

}
