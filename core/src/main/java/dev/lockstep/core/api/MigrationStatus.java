package dev.lockstep.core.api;

import java.time.Instant;
import java.util.List;

import org.jspecify.annotations.Nullable;

/**
 * Where the schema stands, read from the database and the changelog at one moment.
 *
 * @param state overall state
 * @param database what was read
 * @param current the most recently applied changeset, or {@code null} on an empty history
 * @param currentTag the newest tag in the history, or {@code null}
 * @param appliedCount number of rows in the history
 * @param pending changesets the next apply would run, in run order
 * @param unexpected applied changesets the changelog does not declare
 * @param checksumMismatches applied changesets edited after they ran
 * @param lockHolder who holds the migration lock now, or {@code null}
 * @param checkedAt when this was read
 * @param invalidIndexes INVALID indexes in the schema (left by a failed {@code CREATE INDEX CONCURRENTLY}, or being
 * built right now), by name
 */
public record MigrationStatus(SchemaState state, DatabaseInfo database, @Nullable AppliedChangeSet current,
		@Nullable String currentTag,
		int appliedCount, List<PendingChangeSet> pending, List<AppliedChangeSet> unexpected,
		List<ChecksumMismatch> checksumMismatches, @Nullable LockHolder lockHolder, Instant checkedAt,
		List<String> invalidIndexes) {

	public MigrationStatus {
		pending = List.copyOf(pending);
		unexpected = List.copyOf(unexpected);
		checksumMismatches = List.copyOf(checksumMismatches);
		invalidIndexes = (invalidIndexes != null) ? List.copyOf(invalidIndexes) : List.of();
	}

	/** A status that knows of no INVALID index. */
	public MigrationStatus(SchemaState state, DatabaseInfo database, @Nullable AppliedChangeSet current,
			@Nullable String currentTag, int appliedCount, List<PendingChangeSet> pending,
			List<AppliedChangeSet> unexpected, List<ChecksumMismatch> checksumMismatches,
			@Nullable LockHolder lockHolder, Instant checkedAt) {
		this(state, database, current, currentTag, appliedCount, pending, unexpected, checksumMismatches, lockHolder,
				checkedAt, List.of());
	}

	public boolean isUpToDate() {
		return this.pending.isEmpty() && this.unexpected.isEmpty() && this.checksumMismatches.isEmpty();
	}

	public MigrationStatus withState(SchemaState newState) {
		return new MigrationStatus(newState, this.database, this.current, this.currentTag, this.appliedCount,
				this.pending, this.unexpected, this.checksumMismatches, this.lockHolder, this.checkedAt,
				this.invalidIndexes);
	}

	/** The state implied by the history alone: drift outranks pending, pending outranks ahead. */
	public static SchemaState stateOf(List<PendingChangeSet> pending, List<AppliedChangeSet> unexpected,
			List<ChecksumMismatch> mismatches) {
		if (!mismatches.isEmpty()) {
			return SchemaState.DRIFTED;
		}
		if (!pending.isEmpty()) {
			return SchemaState.PENDING;
		}
		if (!unexpected.isEmpty()) {
			return SchemaState.AHEAD;
		}
		return SchemaState.UP_TO_DATE;
	}

}
