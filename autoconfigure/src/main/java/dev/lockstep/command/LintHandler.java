package dev.lockstep.command;

import java.io.PrintStream;

import dev.lockstep.core.MigrationCommands;

/**
 * {@code lint}: what the pending changesets do that can hurt a busy database, graded by the live tables they touch.
 * Exits 1 when a finding is an error, so that CI can gate on it.
 */
final class LintHandler implements CommandHandler {

	private final MigrationCommands commands;

	private final PrintStream out;

	LintHandler(MigrationCommands commands, PrintStream out) {
		this.commands = commands;
		this.out = out;
	}

	@Override
	public int run(CommandLine line) {
		LintReport report = LintReport.of(this.commands.lint());
		if (line.json()) {
			this.out.println(Json.write(report));
		}
		else {
			report.print(this.out);
			if (report.hasErrors()) {
				this.out.println();
				this.out.println("FAILED: fix the error findings, or allow one with a reason in its changeset's "
						+ "comment: lockstep:allow <rule-id> -- <reason>");
			}
		}
		return report.hasErrors() ? CommandExecutor.LINT_ERRORS : CommandExecutor.OK;
	}

}
