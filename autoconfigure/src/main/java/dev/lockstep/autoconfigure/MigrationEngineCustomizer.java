package dev.lockstep.autoconfigure;

import dev.lockstep.core.MigrationEngine;

/**
 * Customizes the auto-configured {@link MigrationEngine} before anything uses it, so that what it sets applies
 * from the startup run on: for example {@link MigrationEngine#addListener} for a listener that reports every run.
 * Customizers run in their {@link org.springframework.core.annotation.Order order}, after the settings from
 * {@code migrations.*}.
 */
@FunctionalInterface
public interface MigrationEngineCustomizer {

	/**
	 * Customizes the engine.
	 * @param engine the engine, configured from the properties
	 */
	void customize(MigrationEngine engine);

}
