package dev.lockstep.core.api;

import java.util.List;

import org.jspecify.annotations.Nullable;

/**
 * A pending changeset with the SQL it would run.
 *
 * @param changeSet the pending changeset
 * @param sql the statements, in order
 * @param runInTransaction whether its statements run in one transaction
 * @param comments its comment (where {@code lockstep:allow} suppressions live), or {@code null}
 * @param findings what the lint found in it (empty when not linted or clean)
 */
public record PendingSql(PendingChangeSet changeSet, List<String> sql, boolean runInTransaction,
		@Nullable String comments, List<LintFinding> findings) {

	public PendingSql {
		sql = List.copyOf(sql);
		findings = (findings != null) ? List.copyOf(findings) : List.of();
	}

	public PendingSql(PendingChangeSet changeSet, List<String> sql, boolean runInTransaction) {
		this(changeSet, sql, runInTransaction, null, List.of());
	}

	/** The same changeset with other SQL (e.g. masked for display). */
	public PendingSql withSql(List<String> statements) {
		return new PendingSql(this.changeSet, statements, this.runInTransaction, this.comments, this.findings);
	}

	/** The same changeset with what the lint found in it. */
	public PendingSql withFindings(List<LintFinding> lintFindings) {
		return new PendingSql(this.changeSet, this.sql, this.runInTransaction, this.comments, lintFindings);
	}

}
