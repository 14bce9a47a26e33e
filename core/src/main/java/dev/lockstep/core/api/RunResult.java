package dev.lockstep.core.api;

import java.time.Duration;
import java.time.Instant;

import org.jspecify.annotations.Nullable;

/**
 * The result of one run, as reported by the endpoint's {@code lastRun}.
 *
 * @param mode the mode it ran in
 * @param startedAt when it started
 * @param finishedAt when it ended
 * @param applied changesets applied by this run
 * @param outcome how it ended
 * @param error the error message when it failed, otherwise {@code null}
 * @param lockWait time spent waiting for another run's lock, {@link Duration#ZERO} when it did not wait
 */
public record RunResult(MigrationMode mode, Instant startedAt, Instant finishedAt, int applied, RunOutcome outcome,
		@Nullable String error, Duration lockWait) {

	public long durationMs() {
		return Duration.between(this.startedAt, this.finishedAt).toMillis();
	}

}
