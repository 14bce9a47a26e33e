package dev.lockstep.endpoint;

import java.time.Instant;
import java.util.List;

import org.jspecify.annotations.Nullable;

import dev.lockstep.core.DriftStatus;
import dev.lockstep.core.StatusSnapshot;
import dev.lockstep.core.api.AppliedChangeSet;
import dev.lockstep.core.api.ChecksumMismatch;
import dev.lockstep.core.api.DatabaseInfo;
import dev.lockstep.core.api.LockHolder;
import dev.lockstep.core.api.MigrationStatus;
import dev.lockstep.core.api.PendingChangeSet;
import dev.lockstep.core.api.RunResult;

/**
 * The document served at {@code /actuator/migrations} and printed by {@code migrations status --format=json}. It
 * needs no Actuator classes, so the command line can print it in applications without Actuator; the endpoint
 * serves it as a {@link MigrationsResponse}.
 *
 * @param state where the schema stands
 * @param mode this instance's mode
 * @param changeLog the master changelog
 * @param database what was read (URL without credentials)
 * @param current the most recently applied changeset
 * @param appliedCount rows in the history
 * @param pending changesets not applied yet
 * @param unexpected applied changesets this changelog lacks
 * @param checksumMismatches applied changesets edited afterwards
 * @param invalidIndexes INVALID indexes in the schema (a failed {@code CREATE INDEX CONCURRENTLY} leaves one; the
 * next run of its changeset drops and rebuilds it)
 * @param drift the live schema compared with what the migrations made, when it was checked
 * @param lock who holds the migration lock
 * @param lastRun the newest run that applied or tried to apply changesets
 * @param error why the database could not be read, when it could not
 * @param checkedAt when the status was read
 * @param lastGoodReadAt when the status was last read successfully, shown while the state is UNAVAILABLE
 * @param staleFor how long ago that was (ISO-8601, e.g. {@code PT42S}), shown while the state is UNAVAILABLE
 */
public record MigrationsDescriptor(String state, String mode, String changeLog, DatabaseInfo database,
		@Nullable CurrentDescriptor current, int appliedCount, List<ChangeSetDescriptor> pending,
		List<ChangeSetDescriptor> unexpected, List<ChecksumMismatch> checksumMismatches, List<String> invalidIndexes,
		@Nullable DriftSummaryDescriptor drift, LockDescriptor lock,
		@Nullable RunDescriptor lastRun, @Nullable String error, Instant checkedAt, @Nullable Instant lastGoodReadAt,
		@Nullable String staleFor) {

	/**
	 * The document for a status snapshot.
	 * @param snapshot the snapshot
	 * @param changeLog the configured master changelog
	 * @return the document
	 */
	public static MigrationsDescriptor of(StatusSnapshot snapshot, String changeLog) {
		MigrationStatus status = snapshot.status();
		return new MigrationsDescriptor(snapshot.state().name(), snapshot.mode().value(), displayChangeLog(changeLog),
				status.database(), CurrentDescriptor.of(status.current(), status.currentTag()), status.appliedCount(),
				status.pending().stream().map(ChangeSetDescriptor::of).toList(),
				status.unexpected().stream().map(ChangeSetDescriptor::of).toList(), status.checksumMismatches(),
				status.invalidIndexes(),
				DriftSummaryDescriptor.of(snapshot.drift()), LockDescriptor.of(status.lockHolder()),
				RunDescriptor.of(snapshot.lastRun()), snapshot.error(),
				snapshot.checkedAt(), snapshot.lastGoodReadAt(), seconds(snapshot.staleFor()));
	}

	/**
	 * The same document with another state and error: a tenant whose last apply failed is {@code FAILED}, with that
	 * failure, though its schema reads as pending.
	 */
	MigrationsDescriptor with(String state, @Nullable String error) {
		return new MigrationsDescriptor(state, this.mode, this.changeLog, this.database, this.current,
				this.appliedCount, this.pending, this.unexpected, this.checksumMismatches, this.invalidIndexes,
				this.drift, this.lock, this.lastRun, error, this.checkedAt, this.lastGoodReadAt, this.staleFor);
	}

	/** A duration to the second, as ISO-8601 ({@code PT42S}). */
	static @Nullable String seconds(java.time.@Nullable Duration duration) {
		return (duration != null) ? java.time.Duration.ofSeconds(duration.toSeconds()).toString() : null;
	}

	/** The changelog as users wrote it, without the {@code classpath:} prefix. */
	public static String displayChangeLog(String changeLog) {
		return changeLog.startsWith("classpath:") ? changeLog.substring("classpath:".length()) : changeLog;
	}

	/**
	 * The current revision.
	 *
	 * @param id changeset id
	 * @param author changeset author
	 * @param changeLog its file
	 * @param tag newest tag in the history
	 * @param appliedAt when it ran
	 * @param deploymentId Liquibase deployment id of its run
	 */
	public record CurrentDescriptor(String id, String author, String changeLog, @Nullable String tag,
			Instant appliedAt, @Nullable String deploymentId) {

		static @Nullable CurrentDescriptor of(@Nullable AppliedChangeSet current, @Nullable String tag) {
			return (current != null) ? new CurrentDescriptor(current.id(), current.author(), current.changeLog(), tag,
					current.appliedAt(), current.deploymentId()) : null;
		}

	}

	/**
	 * A pending or unexpected changeset.
	 *
	 * @param id changeset id
	 * @param author changeset author
	 * @param changeLog its file
	 * @param description Liquibase's description of its changes
	 * @param contexts its contexts
	 * @param labels its labels
	 */
	public record ChangeSetDescriptor(String id, String author, String changeLog, String description, String contexts,
			String labels) {

		static ChangeSetDescriptor of(PendingChangeSet changeSet) {
			return new ChangeSetDescriptor(changeSet.id(), changeSet.author(), changeSet.changeLog(),
					changeSet.description(), changeSet.contexts(), changeSet.labels());
		}

		static ChangeSetDescriptor of(AppliedChangeSet changeSet) {
			return new ChangeSetDescriptor(changeSet.id(), changeSet.author(), changeSet.changeLog(),
					changeSet.description(), "", "");
		}

	}

	/**
	 * What is known about drift, in short ({@code /actuator/migrations/drift} lists the objects).
	 *
	 * @param state what the check in effect could tell ({@code CLEAN}, {@code DRIFT}, {@code NO_RECORD}, ...)
	 * @param checkedAt when that check read the schema
	 * @param objects how many objects differ, when the check could tell
	 * @param message why it says less than it might (no record yet, the newest check was skipped...)
	 */
	public record DriftSummaryDescriptor(String state, Instant checkedAt, @Nullable Integer objects,
			@Nullable String message) {

		static @Nullable DriftSummaryDescriptor of(@Nullable DriftStatus drift) {
			if (drift == null) {
				return null;
			}
			Integer objects = drift.state().isConclusive() ? drift.objects().size() : null;
			return new DriftSummaryDescriptor(drift.state().name(), drift.checkedAt(), objects, drift.message());
		}

	}

	/**
	 * The migration lock.
	 *
	 * @param held whether anybody holds it
	 * @param holder who, when held
	 */
	public record LockDescriptor(boolean held, @Nullable LockHolder holder) {

		static LockDescriptor of(@Nullable LockHolder holder) {
			return new LockDescriptor(holder != null, holder);
		}

	}

	/**
	 * A run.
	 *
	 * @param mode the mode it ran in
	 * @param startedAt when it started
	 * @param finishedAt when it ended
	 * @param durationMs how long it took
	 * @param applied changesets it applied
	 * @param outcome how it ended
	 * @param error its error message, when it failed
	 */
	public record RunDescriptor(String mode, Instant startedAt, Instant finishedAt, long durationMs, int applied,
			String outcome, @Nullable String error) {

		static @Nullable RunDescriptor of(@Nullable RunResult run) {
			return (run != null) ? new RunDescriptor(run.mode().value(), run.startedAt(), run.finishedAt(),
					run.durationMs(), run.applied(), run.outcome().name(), run.error()) : null;
		}

	}

}
