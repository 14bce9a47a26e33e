package dev.lockstep.command;

import java.io.PrintStream;
import java.util.List;

import dev.lockstep.core.MigrationCommands;
import dev.lockstep.core.api.PlannedChangeSet;

/**
 * {@code baseline [--to-tag=T] [--force] [--dry-run]}: records changesets as applied without running them, for a
 * database that hand-written startup code already built.
 */
final class BaselineHandler implements CommandHandler {

	private final MigrationCommands commands;

	private final PrintStream out;

	private final PlanPrinter plans;

	BaselineHandler(MigrationCommands commands, PrintStream out) {
		this.commands = commands;
		this.out = out;
		this.plans = new PlanPrinter(out);
	}

	@Override
	public int run(CommandLine line) {
		String toTag = line.option("to-tag");
		boolean force = line.flag("force");
		String scope = (toTag != null) ? " (up to tag " + toTag + ")" : "";
		List<PlannedChangeSet> plan = this.commands.planBaseline(toTag, force);
		if (this.plans.print(line, plan,
				"record " + plan.size() + " changeset(s) as applied without running them" + scope + ", in this order",
				"Plan: nothing to record" + scope + ".")) {
			return CommandExecutor.OK;
		}
		int marked = this.commands.baseline(toTag, force, plan);
		this.out.println("Baseline: recorded " + marked + " changeset(s) as applied without running them" + scope
				+ ".");
		return CommandExecutor.OK;
	}

}
