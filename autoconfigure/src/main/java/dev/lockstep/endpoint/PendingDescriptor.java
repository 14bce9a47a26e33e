package dev.lockstep.endpoint;

import java.util.List;

import org.springframework.boot.actuate.endpoint.OperationResponseBody;

import dev.lockstep.core.api.LintFinding;
import dev.lockstep.core.api.PendingSql;

/**
 * The document served at {@code /actuator/migrations/pending}: pending changesets with the SQL each would run and
 * the lint's findings.
 *
 * @param count number of pending changesets
 * @param changeSets the changesets, in run order
 */
public record PendingDescriptor(int count, List<PendingChangeSetDescriptor> changeSets)
		implements OperationResponseBody {

	static PendingDescriptor of(List<PendingSql> pending) {
		return new PendingDescriptor(pending.size(), pending.stream().map(PendingChangeSetDescriptor::of).toList());
	}

	/**
	 * A pending changeset and its SQL.
	 *
	 * @param id changeset id
	 * @param author changeset author
	 * @param changeLog its file
	 * @param description Liquibase's description of its changes
	 * @param contexts its contexts
	 * @param labels its labels
	 * @param runInTransaction whether its statements run in one transaction
	 * @param sql the statements it would run
	 * @param findings what the lint found in it, graded by the live tables it touches
	 */
	public record PendingChangeSetDescriptor(String id, String author, String changeLog, String description,
			String contexts, String labels, boolean runInTransaction, List<String> sql,
			List<FindingDescriptor> findings) {

		static PendingChangeSetDescriptor of(PendingSql pending) {
			var changeSet = pending.changeSet();
			return new PendingChangeSetDescriptor(changeSet.id(), changeSet.author(), changeSet.changeLog(),
					changeSet.description(), changeSet.contexts(), changeSet.labels(), pending.runInTransaction(),
					pending.sql(), pending.findings().stream().map(FindingDescriptor::of).toList());
		}

	}

	/**
	 * A lint finding.
	 *
	 * @param rule the rule's id, e.g. {@code index-not-concurrent}
	 * @param severity {@code error} or {@code warning}
	 * @param message what the changeset does, to which table, and why it matters
	 * @param fix the safe way to do it
	 */
	public record FindingDescriptor(String rule, String severity, String message, String fix) {

		public static FindingDescriptor of(LintFinding finding) {
			return new FindingDescriptor(finding.rule(), finding.severity().value(), finding.message(), finding.fix());
		}

	}

}
