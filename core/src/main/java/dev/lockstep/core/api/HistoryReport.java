package dev.lockstep.core.api;

import java.util.List;

import org.jspecify.annotations.Nullable;

/**
 * One read of the history: the status, the applied changesets themselves and what only a run needs.
 *
 * @param status the status
 * @param history applied changesets, oldest first
 * @param alwaysRun applied changesets marked {@code runAlways}: an update runs them again, but they do not make
 * the schema out of date
 * @param lastRecordedRun the last run any instance recorded in {@code LOCKSTEP_LAST_RUN}, or {@code null}
 */
public record HistoryReport(MigrationStatus status, List<AppliedChangeSet> history, List<ChangeSetRef> alwaysRun,
		@Nullable RunResult lastRecordedRun) {

	public HistoryReport {
		history = List.copyOf(history);
		alwaysRun = List.copyOf(alwaysRun);
	}

	/** Whether an update would run anything. */
	public boolean needsUpdate() {
		return !this.status.pending().isEmpty() || !this.alwaysRun.isEmpty();
	}

}
