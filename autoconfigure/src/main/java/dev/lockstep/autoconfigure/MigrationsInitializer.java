package dev.lockstep.autoconfigure;

import java.util.List;

import org.jspecify.annotations.Nullable;

import org.springframework.beans.factory.InitializingBean;

import dev.lockstep.core.MigrationEngine;
import dev.lockstep.core.api.MigrationMode;
import dev.lockstep.core.api.RunResult;
import dev.lockstep.core.targets.MigrationTarget;

/**
 * Runs the changelog at startup, in the configured mode, or as the {@link MigrationsStartupStrategy} decides.
 * Beans that use the database are initialized after it (see {@link MigrationsDatabaseInitializerDetector}).
 */
public class MigrationsInitializer implements InitializingBean {

	private static final MigrationsStartupStrategy RUN_IN_MODE = MigrationEngine::run;

	private final MigrationEngine engine;

	private final MigrationMode mode;

	private final MigrationsStartupStrategy strategy;

	private final @Nullable Runnable driftCheck;

	private volatile @Nullable RunResult result;

	private List<MigrationTarget> targets = List.of();

	public MigrationsInitializer(MigrationEngine engine, MigrationMode mode) {
		this(engine, mode, null);
	}

	/**
	 * @param engine the engine
	 * @param mode the configured mode
	 * @param strategy what to do at startup, or {@code null} to run the engine in the mode
	 */
	public MigrationsInitializer(MigrationEngine engine, MigrationMode mode,
			@Nullable MigrationsStartupStrategy strategy) {
		this(engine, mode, strategy, null);
	}

	/**
	 * @param engine the engine
	 * @param mode the configured mode
	 * @param strategy what to do at startup, or {@code null} to run the engine in the mode
	 * @param driftCheck checks drift once the startup run (or status read) is done, or {@code null} for none
	 */
	public MigrationsInitializer(MigrationEngine engine, MigrationMode mode,
			@Nullable MigrationsStartupStrategy strategy, @Nullable Runnable driftCheck) {
		this.engine = engine;
		this.mode = mode;
		this.strategy = (strategy != null) ? strategy : RUN_IN_MODE;
		this.driftCheck = driftCheck;
	}

	/**
	 * Named targets to run after the default one, each in its own mode: a target without tenants like the default
	 * one (then its drift is checked), a target with tenants all of them, in parallel.
	 */
	public void alsoRun(List<MigrationTarget> targets) {
		this.targets = List.copyOf(targets);
	}

	@Override
	public void afterPropertiesSet() {
		this.result = ShutdownAwareRun.run(() -> this.strategy.run(this.engine, this.mode));
		if (this.driftCheck != null) {
			// After the run, which recorded the schema it left; quick (one catalog read) and never fails startup.
			this.driftCheck.run();
		}
		for (MigrationTarget target : this.targets) {
			if (target.hasTenants()) {
				// Tenants' drift is checked when asked for (a catalog read each would slow the start of a fleet).
				ShutdownAwareRun.run(() -> target.tenants().runAll(target.mode()));
			}
			else {
				ShutdownAwareRun.run(() -> target.engine().run(target.mode()));
				if (this.driftCheck != null) {
					target.monitor().checkDrift();
				}
			}
		}
	}

	public MigrationMode getMode() {
		return this.mode;
	}

	/** The startup run's result, or {@code null} before it ran or when the strategy ran nothing. */
	public @Nullable RunResult getResult() {
		return this.result;
	}

}
