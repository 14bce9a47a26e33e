package dev.lockstep.core.test;

import java.util.concurrent.Executor;

/**
 * Runs each task on a new daemon thread, for tests whose async tasks block (on a gate, a lock, a hanging request).
 * {@code CompletableFuture}'s default executor does not do that everywhere: from Java 25 on it is the common
 * {@code ForkJoinPool} even where that pool has a single thread (any 2-core machine), so a blocked task holds back
 * every later one, in that test and in the tests after it in the same JVM. Java 17 started a thread per task there.
 */
public final class ThreadPerTask {

	public static final Executor EXECUTOR = (task) -> {
		Thread thread = new Thread(task, "test-task");
		thread.setDaemon(true);
		thread.start();
	};

	private ThreadPerTask() {
	}

}
