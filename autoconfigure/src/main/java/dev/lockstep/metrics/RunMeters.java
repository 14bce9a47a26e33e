package dev.lockstep.metrics;

import java.time.Duration;
import java.util.Locale;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import org.jspecify.annotations.Nullable;

import dev.lockstep.core.api.MigrationRunListener;
import dev.lockstep.core.api.RunResult;

/**
 * The meters of one target's runs, tagged with the target: run durations by outcome and mode, lock waits, DDL lock
 * retries. It listens to the target's engine, or to the engines of all of its tenants together (one series per
 * target, never one per tenant).
 */
final class RunMeters implements MigrationRunListener {

	/** The tag every Lockstep meter carries: the target's name ({@code default} for the top-level settings). */
	static final String TARGET = "target";

	/** The {@code outcome} of a lock wait that got the lock. */
	static final String ACQUIRED = "acquired";

	/** The {@code outcome} of a lock wait that gave up. */
	static final String TIMEOUT = "timeout";

	private final String target;

	private volatile @Nullable MeterRegistry registry;

	RunMeters(String target) {
		this.target = target;
	}

	/**
	 * Registers the counter (so that it shows 0 before any retry) and records into this registry from now on.
	 * @return whether this was the first registry, when the caller starts listening to the engines (events that
	 * happened before, such as the startup run, are replayed then)
	 */
	boolean bindTo(MeterRegistry registry) {
		ddlLockRetries(registry);
		boolean first = this.registry == null;
		this.registry = registry;
		return first;
	}

	@Override
	public void runEnded(RunResult result) {
		MeterRegistry current = this.registry;
		if (current != null) {
			Timer.builder("migrations.run")
				.description("Migration runs")
				.tag(TARGET, this.target)
				.tag("outcome", result.outcome().name().toLowerCase(Locale.ROOT))
				.tag("mode", result.mode().value())
				.register(current)
				.record(Duration.ofMillis(result.durationMs()));
		}
	}

	@Override
	public void ddlLockRetried(@Nullable String changeSet, int retry) {
		MeterRegistry current = this.registry;
		if (current != null) {
			ddlLockRetries(current).increment();
		}
	}

	@Override
	public void lockWaitEnded(Duration waited, boolean acquired) {
		MeterRegistry current = this.registry;
		if (current != null) {
			Timer.builder("migrations.lock.wait")
				.description("Time spent waiting for another instance's migration lock")
				.tag(TARGET, this.target)
				.tag("outcome", acquired ? ACQUIRED : TIMEOUT)
				.register(current)
				.record(waited);
		}
	}

	private Counter ddlLockRetries(MeterRegistry registry) {
		return Counter.builder("migrations.ddl.lock.retries")
			.description("Changesets rolled back and retried because they waited longer than the lock timeout")
			.tag(TARGET, this.target)
			.register(registry);
	}

}
