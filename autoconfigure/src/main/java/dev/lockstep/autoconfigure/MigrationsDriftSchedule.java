package dev.lockstep.autoconfigure;

import java.util.List;

import java.time.Duration;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;

import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.jspecify.annotations.Nullable;

import org.springframework.context.SmartLifecycle;

import dev.lockstep.core.MigrationMonitor;

/**
 * Checks drift in the background every {@code migrations.drift.interval}, on one daemon thread that lives from
 * the context's start to its close. The first check is one interval after startup (startup checks once itself).
 */
public class MigrationsDriftSchedule implements SmartLifecycle {

	private static final Log logger = LogFactory.getLog(MigrationsDriftSchedule.class);

	private final MigrationMonitor monitor;

	/** The monitors of named targets without tenants, checked after the default target's. */
	private final List<MigrationMonitor> others;

	private final Duration interval;

	private volatile @Nullable ScheduledExecutorService executor;

	public MigrationsDriftSchedule(MigrationMonitor monitor, Duration interval) {
		this(monitor, interval, List.of());
	}

	/**
	 * @param others the monitors of named targets without tenants (tenants' drift is checked when asked for)
	 */
	public MigrationsDriftSchedule(MigrationMonitor monitor, Duration interval, List<MigrationMonitor> others) {
		if (interval.isNegative() || interval.isZero()) {
			throw new IllegalArgumentException("The drift check interval must be positive, not " + interval);
		}
		this.monitor = monitor;
		this.others = List.copyOf(others);
		this.interval = interval;
	}

	public Duration getInterval() {
		return this.interval;
	}

	@Override
	public synchronized void start() {
		if (this.executor != null) {
			return;
		}
		ScheduledThreadPoolExecutor executor = new ScheduledThreadPoolExecutor(1, (task) -> {
			Thread thread = new Thread(task, "lockstep-drift");
			thread.setDaemon(true);
			return thread;
		});
		executor.setExecuteExistingDelayedTasksAfterShutdownPolicy(false);
		long millis = this.interval.toMillis();
		executor.scheduleWithFixedDelay(this::check, millis, millis, TimeUnit.MILLISECONDS);
		this.executor = executor;
	}

	private void check() {
		check(this.monitor);
		this.others.forEach(this::check);
	}

	private void check(MigrationMonitor target) {
		try {
			target.checkDrift();
		}
		catch (RuntimeException ex) {
			// Never ends the schedule: the next check may succeed.
			logger.warn("Drift check failed: " + ex.getMessage(), ex);
		}
	}

	@Override
	public synchronized void stop() {
		ScheduledExecutorService executor = this.executor;
		if (executor != null) {
			executor.shutdownNow();
			this.executor = null;
		}
	}

	@Override
	public boolean isRunning() {
		return this.executor != null;
	}

}
