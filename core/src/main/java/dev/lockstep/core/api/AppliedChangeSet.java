package dev.lockstep.core.api;

import java.time.Instant;

import org.jspecify.annotations.Nullable;

/**
 * One row of DATABASECHANGELOG.
 *
 * @param id changeset id
 * @param author changeset author
 * @param changeLog the file recorded for it
 * @param description Liquibase's description of its changes
 * @param tag tag on this row, or {@code null}
 * @param appliedAt when it ran
 * @param deploymentId Liquibase deployment id of the run that applied it
 * @param orderExecuted position in the history
 * @param execType EXECUTED, MARK_RAN, RERAN, ...
 * @param checksum stored checksum, or {@code null}
 * @param baselined whether {@code migrations baseline} recorded it without running it (a MARK_RAN row that
 * carries Lockstep's {@value #BASELINE_MARK} comment)
 */
public record AppliedChangeSet(String id, String author, String changeLog, String description, @Nullable String tag,
		Instant appliedAt, String deploymentId, int orderExecuted, String execType, @Nullable String checksum,
		boolean baselined) {

	/** The start of the COMMENTS of the history rows {@code migrations baseline} writes. */
	public static final String BASELINE_MARK = "lockstep:baseline";

	/** Whether a history row was written by {@code migrations baseline}, from its EXECTYPE and COMMENTS. */
	public static boolean isBaselined(String execType, String comments) {
		return "MARK_RAN".equals(execType) && comments != null && comments.startsWith(BASELINE_MARK);
	}

	public ChangeSetRef ref() {
		return new ChangeSetRef(this.id, this.author, this.changeLog);
	}

}
