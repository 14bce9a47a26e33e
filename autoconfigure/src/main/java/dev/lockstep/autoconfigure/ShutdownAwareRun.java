package dev.lockstep.autoconfigure;

import java.util.function.Supplier;

/**
 * Runs the startup migration so that a shutdown signal (SIGTERM) ends it at once while it waits for another
 * instance's lock: the shutdown hook interrupts the waiting thread, which gives up without changing anything.
 * Without it, the application context's own shutdown hook would wait for startup to finish first.
 */
final class ShutdownAwareRun {

	private static volatile boolean shuttingDown;

	private ShutdownAwareRun() {
	}

	/**
	 * Whether the JVM is shutting down. An interrupt alone is not enough: code on the way to the lock (JDBC, file
	 * reads) may swallow it before the wait starts.
	 */
	static boolean isShuttingDown() {
		return shuttingDown;
	}

	static <T> T run(Supplier<T> work) {
		Thread runner = Thread.currentThread();
		Thread hook = new Thread(() -> {
			shuttingDown = true;
			runner.interrupt();
		}, "lockstep-shutdown");
		boolean registered = register(hook);
		try {
			return work.get();
		}
		finally {
			if (registered) {
				unregister(hook);
			}
		}
	}

	private static boolean register(Thread hook) {
		try {
			Runtime.getRuntime().addShutdownHook(hook);
			return true;
		}
		catch (IllegalStateException ex) {
			// Already shutting down.
			return false;
		}
	}

	private static void unregister(Thread hook) {
		try {
			Runtime.getRuntime().removeShutdownHook(hook);
		}
		catch (IllegalStateException ex) {
			// Shutting down: the hook runs or ran; harmless once the work is over.
		}
	}

}
