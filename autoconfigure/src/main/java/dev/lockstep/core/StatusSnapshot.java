package dev.lockstep.core;

import java.time.Instant;
import java.util.List;

/**
 * What an operator sees at one moment: the status with its final state, the history, the last run and, when the
 * database could not be read, why.
 *
 * @param status the status; its state accounts for runs in progress and failed runs
 * @param history applied changesets, oldest first
 * @param lastRun the newest run that applied or tried to apply changesets, in this process or recorded by any
 * instance; {@code null} when none is known
 * @param mode the mode this instance runs in
 * @param error why the database could not be read, or {@code null}
 * @param checkedAt when it was read
 */
public record StatusSnapshot(MigrationStatus status, List<AppliedChangeSet> history, RunResult lastRun,
		MigrationMode mode, String error, Instant checkedAt) {

	public StatusSnapshot {
		history = List.copyOf(history);
	}

	public SchemaState state() {
		return this.status.state();
	}

}
