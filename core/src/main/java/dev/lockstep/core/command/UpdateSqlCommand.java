package dev.lockstep.core.command;

import java.util.List;
import java.util.function.Supplier;

import dev.lockstep.core.api.LintFinding;
import dev.lockstep.core.api.LintSeverity;
import dev.lockstep.core.api.PendingChangeSet;
import dev.lockstep.core.api.PendingSql;

/**
 * {@code update-sql}: the SQL of the pending changesets, as a script for review, with the lint's findings as
 * comments above each changeset's SQL. Nothing runs and no lock is taken.
 */
public final class UpdateSqlCommand {

	private final Supplier<List<PendingSql>> pendingSql;

	private final Supplier<String> displayUrl;

	public UpdateSqlCommand(Supplier<List<PendingSql>> pendingSql, Supplier<String> displayUrl) {
		this.pendingSql = pendingSql;
		this.displayUrl = displayUrl;
	}

	public String script() {
		List<PendingSql> pending = this.pendingSql.get();
		StringBuilder script = new StringBuilder();
		script.append("-- Lockstep: SQL of ").append(pending.size()).append(" pending changeset(s) for ")
			.append(this.displayUrl.get()).append('\n');
		script.append("-- Liquibase also records each changeset in DATABASECHANGELOG when it applies it.\n");
		long findings = pending.stream().mapToLong((changeSet) -> changeSet.findings().size()).sum();
		if (findings > 0) {
			long errors = pending.stream()
				.flatMap((changeSet) -> changeSet.findings().stream())
				.filter((finding) -> finding.severity() == LintSeverity.ERROR)
				.count();
			script.append("-- Lint: ").append(findings).append(" finding(s), ").append(errors)
				.append(" error(s); see the LINT lines of each changeset ('migrations lint' lists them).\n");
		}
		for (PendingSql changeSet : pending) {
			PendingChangeSet ref = changeSet.changeSet();
			script.append("\n-- Changeset ").append(ref.changeLog()).append("::").append(ref.id()).append("::")
				.append(ref.author());
			if (!changeSet.runInTransaction()) {
				script.append(" (runInTransaction: false)");
			}
			script.append('\n');
			for (LintFinding finding : changeSet.findings()) {
				script.append("-- LINT ").append(finding.severity().value()).append(' ').append(finding.rule())
					.append(": ").append(finding.message()).append('\n');
				script.append("--   fix: ").append(finding.fix()).append('\n');
			}
			for (String statement : changeSet.sql()) {
				script.append(statement);
				if (!statement.startsWith("--")) {
					script.append(';');
				}
				script.append('\n');
			}
		}
		return script.toString();
	}

}
