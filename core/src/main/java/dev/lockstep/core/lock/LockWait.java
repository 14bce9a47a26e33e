package dev.lockstep.core.lock;

import java.time.Duration;
import java.util.Optional;
import java.util.function.BooleanSupplier;
import java.util.function.Function;
import java.util.function.Supplier;

import org.jspecify.annotations.Nullable;

import dev.lockstep.core.api.LockHolder;
import dev.lockstep.core.problem.LockTimeoutException;
import dev.lockstep.core.problem.LockWaitInterruptedException;

/**
 * The wait every {@link MigrationLock} does the same way: try, and until that succeeds, give up at the deadline
 * (naming the holder), stop when the work was done elsewhere, report the holder every few seconds, sleep
 * interruptibly.
 *
 * @param timeout how long to wait at most
 * @param observer told every {@link #REPORT_INTERVAL} who holds the lock
 * @param doneElsewhere whether the holder did the work meanwhile (it may also throw to cancel the wait)
 */
record LockWait(Duration timeout, WaitObserver observer, BooleanSupplier doneElsewhere) {

	static final Duration REPORT_INTERVAL = Duration.ofSeconds(5);

	/**
	 * Tries to take the lock until it is taken or the wait ends.
	 * @param pollInterval the pause between two tries
	 * @param attempt one try, in no transaction
	 * @param holder reads who holds the lock now
	 * @param timedOut the failure when the deadline passes, given the holder if known
	 * @return how long the caller waited (zero when taken at the first try), or empty when the work was done
	 * elsewhere
	 * @throws LockWaitInterruptedException when the thread is interrupted while it sleeps
	 */
	<E extends Exception> Optional<Duration> poll(Duration pollInterval, Attempt<E> attempt,
			Supplier<Optional<LockHolder>> holder, Function<@Nullable LockHolder, LockTimeoutException> timedOut)
			throws E {
		long start = System.nanoTime();
		long deadline = start + this.timeout.toNanos();
		long nextReport = start + REPORT_INTERVAL.toNanos();
		boolean contended = false;
		while (!attempt.tryLock()) {
			contended = true;
			long now = System.nanoTime();
			if (now - deadline >= 0) {
				throw timedOut.apply(holder.get().orElse(null));
			}
			if (this.doneElsewhere.getAsBoolean()) {
				return Optional.empty();
			}
			if (now - nextReport >= 0) {
				this.observer.stillWaiting(holder.get().orElse(null), Duration.ofNanos(now - start));
				nextReport = now + REPORT_INTERVAL.toNanos();
			}
			sleep(Math.min(pollInterval.toNanos(), Math.max(deadline - now, 0)));
		}
		// Got at the first try: no wait, whatever the round trip took (the log reports waits only).
		return Optional.of(contended ? Duration.ofNanos(System.nanoTime() - start) : Duration.ZERO);
	}

	/** How a duration reads in a message: whole seconds as {@code 3 s}, anything else in milliseconds. */
	static String format(Duration duration) {
		return (duration.toMillis() % 1000 == 0) ? duration.toSeconds() + " s" : duration.toMillis() + " ms";
	}

	private static void sleep(long nanos) {
		try {
			Thread.sleep(nanos / 1_000_000, (int) (nanos % 1_000_000));
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			throw new LockWaitInterruptedException();
		}
	}

	/** One try to take the lock. */
	@FunctionalInterface
	interface Attempt<E extends Exception> {

		boolean tryLock() throws E;

	}

}
