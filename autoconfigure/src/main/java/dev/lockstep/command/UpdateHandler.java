package dev.lockstep.command;

import java.io.PrintStream;
import java.util.List;

import dev.lockstep.core.MigrationCommands;
import dev.lockstep.core.api.PlannedChangeSet;
import dev.lockstep.core.api.RunResult;
import dev.lockstep.core.api.UpdateTarget;

/**
 * {@code update [--count=N | --to-tag=T] [--dry-run]}: shows the plan, then applies it under the lock.
 */
final class UpdateHandler implements CommandHandler {

	private final MigrationCommands commands;

	private final PrintStream out;

	private final PlanPrinter plans;

	UpdateHandler(MigrationCommands commands, PrintStream out) {
		this.commands = commands;
		this.out = out;
		this.plans = new PlanPrinter(out);
	}

	@Override
	public int run(CommandLine line) {
		Integer count = line.intOption("count");
		String toTag = line.option("to-tag");
		UpdateTarget target = (count != null || toTag != null) ? new UpdateTarget(count, toTag) : UpdateTarget.ALL;
		List<PlannedChangeSet> plan = this.commands.planUpdate(target);
		String scope = (count != null) ? " (--count=" + count + ")" : (toTag != null) ? " (up to tag " + toTag + ")" : "";
		if (this.plans.print(line, plan, "apply " + plan.size() + " changeset(s)" + scope + ", in this order",
				"Plan: nothing to apply" + scope + ".")) {
			return CommandExecutor.OK;
		}
		RunResult result = this.commands.update(target);
		if (line.json()) {
			this.out.println(Json.write(result));
		}
		else {
			this.out.println("Applied " + result.applied() + " changeset(s) in " + result.durationMs() + " ms"
					+ ((result.lockWait().toMillis() < 50) ? "" : " (waited " + result.lockWait().toMillis() + " ms for the lock)")
					+ ".");
		}
		return CommandExecutor.OK;
	}

}
