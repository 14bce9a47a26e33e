package dev.lockstep.autoconfigure;

import org.springframework.beans.factory.InitializingBean;

import dev.lockstep.core.MigrationEngine;
import dev.lockstep.core.api.MigrationMode;
import dev.lockstep.core.api.RunResult;

/**
 * Runs the changelog at startup, in the configured mode. Beans that use the database are initialized after it
 * (see {@link MigrationsDatabaseInitializerDetector}).
 */
public class MigrationsInitializer implements InitializingBean {

	private final MigrationEngine engine;

	private final MigrationMode mode;

	private volatile RunResult result;

	public MigrationsInitializer(MigrationEngine engine, MigrationMode mode) {
		this.engine = engine;
		this.mode = mode;
	}

	@Override
	public void afterPropertiesSet() {
		this.result = ShutdownAwareRun.run(() -> this.engine.run(this.mode));
	}

	public MigrationMode getMode() {
		return this.mode;
	}

	/** The startup run's result, or {@code null} before it ran. */
	public RunResult getResult() {
		return this.result;
	}

}
