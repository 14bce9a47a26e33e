package dev.lockstep.command;

import java.io.PrintStream;
import java.util.ArrayList;
import java.util.List;

import dev.lockstep.core.api.LintFinding;
import dev.lockstep.core.api.LintSeverity;
import dev.lockstep.core.api.PendingChangeSet;
import dev.lockstep.core.api.PendingSql;

/**
 * What the lint found in the pending changesets, as {@code migrations lint}, {@code check} and their JSON show it.
 *
 * @param pending number of pending changesets linted
 * @param errors number of error-level findings
 * @param warnings number of warnings
 * @param findings the findings, in run order
 */
record LintReport(int pending, long errors, long warnings, List<Finding> findings) {

	static LintReport of(List<PendingSql> pending) {
		List<Finding> findings = new ArrayList<>();
		for (PendingSql changeSet : pending) {
			for (LintFinding finding : changeSet.findings()) {
				findings.add(Finding.of(changeSet.changeSet(), finding));
			}
		}
		long errors = findings.stream().filter((finding) -> finding.severity().equals(LintSeverity.ERROR.value()))
			.count();
		return new LintReport(pending.size(), errors, findings.size() - errors, findings);
	}

	boolean hasErrors() {
		return this.errors > 0;
	}

	/** The findings as an aligned table (changeset, rule, severity, message, fix) and a summary line. */
	void print(PrintStream out) {
		if (this.findings.isEmpty()) {
			out.println("Lint: no findings in " + this.pending + " pending changeset(s)");
			return;
		}
		out.println("Lint: " + this.errors + " error(s), " + this.warnings + " warning(s) in " + this.pending
				+ " pending changeset(s)");
		TextTable table = new TextTable("CHANGESET", "RULE", "SEVERITY", "MESSAGE", "FIX");
		for (Finding finding : this.findings) {
			table.row(finding.changeLog() + "::" + finding.id() + "::" + finding.author(), finding.rule(),
					finding.severity(), finding.message(), finding.fix());
		}
		out.print(table.render());
	}

	/**
	 * A finding and the changeset it is in.
	 *
	 * @param id changeset id
	 * @param author changeset author
	 * @param changeLog its file
	 * @param rule the rule's id
	 * @param severity {@code error} or {@code warning}
	 * @param message what it does, to which table, and why it matters
	 * @param fix the safe way to do it
	 */
	record Finding(String id, String author, String changeLog, String rule, String severity, String message,
			String fix) {

		static Finding of(PendingChangeSet changeSet, LintFinding finding) {
			return new Finding(changeSet.id(), changeSet.author(), changeSet.changeLog(), finding.rule(),
					finding.severity().value(), finding.message(), finding.fix());
		}

	}

}
