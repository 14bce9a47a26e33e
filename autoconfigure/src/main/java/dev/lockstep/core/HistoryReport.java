package dev.lockstep.core;

import java.util.List;

/**
 * A status together with what only a run needs: the changesets that run on every update.
 *
 * @param status the status
 * @param alwaysRun applied changesets marked {@code runAlways}: an update runs them again, but they do not make
 * the schema out of date
 */
public record HistoryReport(MigrationStatus status, List<ChangeSetRef> alwaysRun) {

	public HistoryReport {
		alwaysRun = List.copyOf(alwaysRun);
	}

	/** Whether an update would run anything. */
	public boolean needsUpdate() {
		return !this.status.pending().isEmpty() || !this.alwaysRun.isEmpty();
	}

}
