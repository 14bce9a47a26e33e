package dev.lockstep.core;

import java.time.Duration;
import java.time.Instant;
import java.util.List;

import org.jspecify.annotations.Nullable;

import dev.lockstep.core.api.AppliedChangeSet;
import dev.lockstep.core.api.MigrationMode;
import dev.lockstep.core.api.MigrationStatus;
import dev.lockstep.core.api.RunResult;
import dev.lockstep.core.api.SchemaState;

/**
 * What an operator sees at one moment: the status with its final state, the history, the last run, the drift and,
 * when the database could not be read, why.
 *
 * @param status the status; its state accounts for runs in progress and failed runs, not for drift (see
 * {@link #state()})
 * @param history applied changesets, oldest first
 * @param lastRun the newest run that applied or tried to apply changesets, in this process or recorded by any
 * instance; {@code null} when none is known
 * @param mode the mode this instance runs in
 * @param error why the database could not be read, or {@code null}
 * @param checkedAt when it was read
 * @param lastGoodReadAt when the status was last read successfully; {@code null} when never, or when this snapshot
 * is such a read
 * @param staleFor how long ago that was, when this snapshot says {@code UNAVAILABLE}; otherwise {@code null}
 * @param drift what is known about drift (the live schema compared with what the migrations made), or {@code null}
 * when nothing was checked
 */
public record StatusSnapshot(MigrationStatus status, List<AppliedChangeSet> history, @Nullable RunResult lastRun,
		MigrationMode mode, @Nullable String error, Instant checkedAt, @Nullable Instant lastGoodReadAt,
		@Nullable Duration staleFor, @Nullable DriftStatus drift) {

	public StatusSnapshot {
		history = List.copyOf(history);
	}

	public StatusSnapshot(MigrationStatus status, List<AppliedChangeSet> history, @Nullable RunResult lastRun,
			MigrationMode mode, @Nullable String error, Instant checkedAt, @Nullable Instant lastGoodReadAt,
			@Nullable Duration staleFor) {
		this(status, history, lastRun, mode, error, checkedAt, lastGoodReadAt, staleFor, null);
	}

	public StatusSnapshot(MigrationStatus status, List<AppliedChangeSet> history, RunResult lastRun,
			MigrationMode mode, String error, Instant checkedAt) {
		this(status, history, lastRun, mode, error, checkedAt, null, null, null);
	}

	/**
	 * The final state: the status's, except that a schema that matches the history ({@code UP_TO_DATE}, or
	 * {@code AHEAD}) but differs from what the migrations made is {@code SCHEMA_DRIFT}. Pending, edited or failed
	 * changesets, a run in progress and an unreadable database say more urgent things and keep precedence.
	 */
	public SchemaState state() {
		SchemaState state = this.status.state();
		boolean matchesHistory = state == SchemaState.UP_TO_DATE || state == SchemaState.AHEAD;
		return (matchesHistory && this.drift != null && this.drift.hasDrift()) ? SchemaState.SCHEMA_DRIFT : state;
	}

	/** This snapshot with the given drift (itself when that is its drift already). */
	public StatusSnapshot withDrift(@Nullable DriftStatus drift) {
		if (drift == this.drift) {
			return this;
		}
		return new StatusSnapshot(this.status, this.history, this.lastRun, this.mode, this.error, this.checkedAt,
				this.lastGoodReadAt, this.staleFor, drift);
	}

	/**
	 * This snapshot shown as {@code UNAVAILABLE}, with why and the age of the last successful read.
	 * @param reason why no fresh status is known
	 * @param lastGood when the status was last read successfully, or {@code null}
	 * @param age how long ago that was, or {@code null}
	 */
	public StatusSnapshot unavailable(String reason, Instant lastGood, Duration age) {
		return new StatusSnapshot(this.status.withState(SchemaState.UNAVAILABLE), this.history, this.lastRun,
				this.mode, reason, this.checkedAt, lastGood, age, this.drift);
	}

}
