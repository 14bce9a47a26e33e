package dev.lockstep.autoconfigure;

import org.jspecify.annotations.Nullable;

import dev.lockstep.core.MigrationEngine;
import dev.lockstep.core.api.MigrationMode;
import dev.lockstep.core.api.RunResult;

/**
 * Decides what happens with the migrations at startup. Without a bean of this type, the engine runs in the
 * configured mode ({@code migrations.mode}); with one, the bean decides: for example run {@code apply} only on the
 * instance that deploys and {@code validate} elsewhere, or nothing at all. Beans that use the database still wait
 * for it, and a shutdown signal still ends a wait for another instance's lock.
 */
@FunctionalInterface
public interface MigrationsStartupStrategy {

	/**
	 * Runs what should happen at startup.
	 * @param engine the migration engine
	 * @param mode the configured mode
	 * @return the run's result, or {@code null} when nothing ran
	 */
	@Nullable RunResult run(MigrationEngine engine, MigrationMode mode);

}
