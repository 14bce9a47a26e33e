package dev.lockstep.core.run;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;

import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import dev.lockstep.core.api.MigrationMode;
import dev.lockstep.core.api.MigrationRunListener;
import dev.lockstep.core.api.RunOutcome;
import dev.lockstep.core.api.RunResult;

/**
 * Tells the listeners what runs do. Ended runs and lock waits are kept (bounded, oldest dropped first) and replayed
 * to listeners added later, such as metrics created after the startup run.
 */
public final class RunEvents {

	private static final Logger logger = LoggerFactory.getLogger("dev.lockstep.Migrations");

	private static final int KEPT = 100;

	private final List<MigrationRunListener> listeners = new CopyOnWriteArrayList<>();

	private final Deque<Consumer<MigrationRunListener>> pastEvents = new ArrayDeque<>();

	/** Adds a listener, replaying the kept events to it first. */
	public void addListener(MigrationRunListener listener) {
		synchronized (this.pastEvents) {
			for (Consumer<MigrationRunListener> event : this.pastEvents) {
				event.accept(listener);
			}
			this.listeners.add(listener);
		}
	}

	public void started(MigrationMode mode) {
		fire((listener) -> listener.runStarted(mode), false);
	}

	/** Tells the listeners (now and later ones) that a run ended, and returns its result. */
	public RunResult ended(MigrationMode mode, Instant started, int applied, RunOutcome outcome, @Nullable String error,
			Duration waited) {
		RunResult result = new RunResult(mode, started, Instant.now(), applied, outcome, error, waited);
		fire((listener) -> listener.runEnded(result), true);
		return result;
	}

	/** Tells the listeners (now and later ones) how a lock wait ended. */
	public void lockWaitEnded(Duration waited, boolean acquired) {
		fire((listener) -> listener.lockWaitEnded(waited, acquired), true);
	}

	/** Tells the listeners (now and later ones) that a changeset timed out waiting for a lock and is retried. */
	public void ddlLockRetried(@Nullable String changeSet, int retry) {
		fire((listener) -> listener.ddlLockRetried(changeSet, retry), true);
	}

	private void fire(Consumer<MigrationRunListener> event, boolean keep) {
		synchronized (this.pastEvents) {
			if (keep) {
				if (this.pastEvents.size() == KEPT) {
					this.pastEvents.removeFirst();
				}
				this.pastEvents.addLast(event);
			}
			for (MigrationRunListener listener : this.listeners) {
				try {
					event.accept(listener);
				}
				catch (RuntimeException ex) {
					logger.debug("Migration run listener failed", ex);
				}
			}
		}
	}

}
