package dev.lockstep.core.lock;

import java.sql.Connection;
import java.sql.SQLException;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.BooleanSupplier;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import dev.lockstep.core.api.LockHolder;
import dev.lockstep.core.problem.LockTimeoutException;
import dev.lockstep.core.problem.LockWaitInterruptedException;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

/**
 * The contract every {@link MigrationLock} meets, run against a real database by each implementation's subclass.
 * Each lock stands for one instance (one process) of an application; all instances share one database.
 */
abstract class AbstractMigrationLockTests {

	/** Long enough never to run out in a test that expects the lock to be released first. */
	private static final Duration LONG = Duration.ofSeconds(60);

	private static final WaitObserver QUIET = (holder, waited) -> {
	};

	private final List<LockHandle> handles = new CopyOnWriteArrayList<>();

	/** The lock as the named instance sees it, for this test's database. */
	protected abstract MigrationLock lockFor(String instance) throws SQLException;

	/** A plain connection to this test's database, for reading the holder as a status read does. */
	protected abstract Connection connect() throws SQLException;

	/** Checks that the holder names the given instance, as far as this kind of lock can tell instances apart. */
	protected abstract void assertHeldBy(LockHolder holder, String instance);

	@AfterEach
	void releaseAll() {
		this.handles.forEach(LockHandle::close);
	}

	@Test
	void freeLockIsTakenWithoutWaitingOnAnOpenSession() throws Exception {
		LockHandle handle = acquire("a", LONG);
		assertThat(handle.waited()).isEqualTo(Duration.ZERO);
		assertThat(handle.session().isValid(5)).as("the lock's session is open").isTrue();
	}

	@Test
	void holderIsVisibleToOthersWhileHeldAndGoneAfterClose() throws Exception {
		MigrationLock lock = lockFor("a");
		try (Connection status = connect()) {
			assertThat(lock.holder(status)).as("holder of a free lock").isEmpty();
			LockHandle handle = acquire("a", LONG);
			assertThat(lockFor("b").holder(status)).as("holder seen by another instance")
				.hasValueSatisfying((holder) -> assertHeldBy(holder, "a"));
			handle.close();
			assertThat(lock.holder(status)).as("holder after close").isEmpty();
		}
	}

	@Test
	void secondInstanceIsKeptOutAndTimesOutNamingTheHolder() throws Exception {
		acquire("a", LONG);
		LockTimeoutException timeout = catchThrowableOfType(LockTimeoutException.class,
				() -> lockFor("b").acquire(Duration.ofMillis(700), QUIET, () -> false));
		assertThat(timeout).as("second instance's failure").isNotNull();
		assertThat(timeout.getMessage()).startsWith("Timed out after 700 ms waiting for")
			.contains("Nothing was changed.");
		assertThat(timeout.holder()).as("holder named in the failure").isNotNull();
		assertHeldBy(timeout.holder(), "a");
		assertThat(timeout.getMessage()).as("the holder named").contains(timeout.holder().application());
		assertThat(timeout.action()).as("the core names no Spring property").doesNotContain("migrations.");
		try (Connection status = connect()) {
			assertThat(lockFor("a").holder(status)).as("first instance still holds the lock")
				.hasValueSatisfying((holder) -> assertHeldBy(holder, "a"));
		}
	}

	@Test
	void waiterGetsTheLockOnceTheHolderReleasesIt() throws Exception {
		LockHandle first = acquire("a", LONG);
		CountDownLatch waiting = new CountDownLatch(1);
		CompletableFuture<Optional<LockHandle>> second = inBackground(
				() -> lockFor("b").acquire(LONG, QUIET, waitingSignal(waiting)));
		assertThat(waiting.await(30, TimeUnit.SECONDS)).as("the second instance found the lock taken").isTrue();
		assertThat(second).as("second instance while the first holds the lock").isNotDone();
		first.close();
		LockHandle handle = second.get(30, TimeUnit.SECONDS).orElseThrow();
		this.handles.add(handle);
		assertThat(handle.waited()).as("the second instance's wait").isPositive();
		try (Connection status = connect()) {
			assertThat(lockFor("a").holder(status)).hasValueSatisfying((holder) -> assertHeldBy(holder, "b"));
		}
	}

	@Test
	void waiterIsToldWhoHoldsTheLockWhileItWaits() throws Exception {
		acquire("a", LONG);
		List<LockHolder> reported = new CopyOnWriteArrayList<>();
		assertThatExceptionOfType(LockTimeoutException.class).isThrownBy(() -> lockFor("b")
			.acquire(LockWait.REPORT_INTERVAL.plusSeconds(1), (holder, waited) -> reported.add(holder), () -> false));
		assertThat(reported).as("holders reported while waiting").isNotEmpty()
			.allSatisfy((holder) -> assertHeldBy(holder, "a"));
	}

	@Test
	void workDoneElsewhereEndsTheWaitWithNothingHeld() throws Exception {
		LockHandle first = acquire("a", LONG);
		Optional<LockHandle> second = inBackground(() -> lockFor("b").acquire(LONG, QUIET, () -> true)).get(30,
				TimeUnit.SECONDS);
		assertThat(second).as("what the second instance got").isEmpty();
		first.close();
		try (Connection status = connect()) {
			assertThat(lockFor("a").holder(status)).as("nobody holds the lock").isEmpty();
		}
		assertThat(acquire("c", Duration.ofSeconds(5)).waited()).isEqualTo(Duration.ZERO);
	}

	@Test
	void freeLockIsTakenEvenWhenTheWorkIsDoneElsewhere() throws Exception {
		// Only a wait asks: an uncontended lock is simply taken.
		Optional<LockHandle> handle = lockFor("a").acquire(LONG, QUIET, () -> true);
		handle.ifPresent(this.handles::add);
		assertThat(handle).isPresent();
	}

	@Test
	void cancellingEndsTheWait() throws Exception {
		acquire("a", LONG);
		assertThatExceptionOfType(LockWaitInterruptedException.class).isThrownBy(() -> lockFor("b").acquire(LONG,
				QUIET, () -> {
					throw new LockWaitInterruptedException();
				}));
	}

	@Test
	void interruptingTheWaitingThreadEndsTheWait() throws Exception {
		acquire("a", LONG);
		AtomicReference<Thread> waiter = new AtomicReference<>();
		AtomicReference<Boolean> interruptFlag = new AtomicReference<>();
		CountDownLatch waiting = new CountDownLatch(1);
		CompletableFuture<Optional<LockHandle>> second = inBackground(() -> {
			waiter.set(Thread.currentThread());
			try {
				return lockFor("b").acquire(LONG, QUIET, waitingSignal(waiting));
			}
			finally {
				interruptFlag.set(Thread.currentThread().isInterrupted());
			}
		});
		assertThat(waiting.await(30, TimeUnit.SECONDS)).as("the second instance found the lock taken").isTrue();
		assertThat(second).isNotDone();
		waiter.get().interrupt();
		ExecutionException failure = catchThrowableOfType(ExecutionException.class,
				() -> second.get(30, TimeUnit.SECONDS));
		assertThat(failure).as("the interrupted wait").isNotNull();
		assertThat(failure.getCause()).isInstanceOf(LockWaitInterruptedException.class);
		assertThat(interruptFlag.get()).as("interrupt flag kept for the caller").isTrue();
	}

	@Test
	void closingReleasesTheLockAndItsSession() throws Exception {
		LockHandle first = acquire("a", LONG);
		Connection session = first.session();
		first.close();
		assertThat(session.isClosed()).as("the lock's session after close").isTrue();
		assertThat(acquire("b", Duration.ofSeconds(5)).waited()).as("next instance's wait").isEqualTo(Duration.ZERO);
	}

	@Test
	void closingTwiceOrAfterAbandoningNeverThrows() throws Exception {
		LockHandle handle = acquire("a", LONG);
		handle.close();
		handle.close();
		LockHandle abandoned = acquire("b", LONG);
		abandoned.abandon();
		abandoned.close();
		assertThat(abandoned.session().isClosed()).isTrue();
	}

	protected LockHandle acquire(String instance, Duration timeout) throws SQLException {
		LockHandle handle = lockFor(instance).acquire(timeout, QUIET, () -> false).orElseThrow();
		this.handles.add(handle);
		return handle;
	}

	/** A "done elsewhere" that never is, and tells that the wait began: it is asked only once the lock was taken. */
	private static BooleanSupplier waitingSignal(CountDownLatch waiting) {
		return () -> {
			waiting.countDown();
			return false;
		};
	}

	private static <T> CompletableFuture<T> inBackground(Work<T> work) {
		CompletableFuture<T> result = new CompletableFuture<>();
		Thread thread = new Thread(() -> {
			try {
				result.complete(work.run());
			}
			catch (Throwable ex) {
				result.completeExceptionally(ex);
			}
		}, "lock-test-waiter");
		thread.setDaemon(true);
		thread.start();
		return result;
	}

	@FunctionalInterface
	interface Work<T> {

		T run() throws Exception;

	}

}
