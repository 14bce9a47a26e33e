package dev.lockstep.command;

import java.io.PrintStream;

import dev.lockstep.core.api.AppliedChangeSet;
import dev.lockstep.core.MigrationCommands;
import dev.lockstep.core.api.RollbackPlan;
import dev.lockstep.core.api.RollbackTarget;

/**
 * {@code rollback --count=N | --to-tag=T | --to-date=ISO [--dry-run]}: shows what will be undone, newest first,
 * then undoes it under the lock.
 */
final class RollbackHandler implements CommandHandler {

	private final MigrationCommands commands;

	private final PrintStream out;

	RollbackHandler(MigrationCommands commands, PrintStream out) {
		this.commands = commands;
		this.out = out;
	}

	@Override
	public int run(CommandLine line) {
		RollbackTarget target = RollbackTargets.of(line);
		boolean dryRun = line.flag("dry-run");
		RollbackPlan planned = this.commands.planRollback(target);
		if (line.json() && dryRun) {
			this.out.println(Json.write(PlanPrinter.dryRun(planned)));
			return CommandExecutor.OK;
		}
		if (!line.json()) {
			printPlan(target, planned);
			if (dryRun) {
				this.out.println("Dry run: nothing was changed.");
				return CommandExecutor.OK;
			}
		}
		RollbackPlan plan = this.commands.rollback(target, planned);
		if (line.json()) {
			this.out.println(Json.write(plan));
		}
		else {
			printResult(plan);
		}
		return CommandExecutor.OK;
	}

	private void printPlan(RollbackTarget target, RollbackPlan planned) {
		if (planned.changeSets().isEmpty()) {
			this.out.println("Plan: nothing to roll back (" + target + ").");
			return;
		}
		this.out.println("Plan: undo " + planned.changeSets().size() + " changeset(s) (" + target + "), newest first:");
		TextTable table = new TextTable("#", "ID", "AUTHOR", "FILE", "APPLIED AT");
		int i = 1;
		for (AppliedChangeSet changeSet : planned.changeSets()) {
			table.row(i++, changeSet.id(), changeSet.author(), changeSet.changeLog(), changeSet.appliedAt());
		}
		this.out.print(table.render());
	}

	private void printResult(RollbackPlan plan) {
		if (plan.changeSets().isEmpty()) {
			this.out.println("Nothing to roll back (" + plan.target() + ").");
			return;
		}
		this.out.println("Rolled back " + plan.changeSets().size() + " changeset(s) (" + plan.target() + "):");
		TextTable table = new TextTable("ID", "AUTHOR", "FILE");
		plan.changeSets().forEach((changeSet) -> table.row(changeSet.id(), changeSet.author(), changeSet.changeLog()));
		this.out.print(table.render());
		String tag = plan.target().toTag();
		if (tag != null && plan.changeSets()
			.stream()
			.anyMatch((changeSet) -> tag.equalsIgnoreCase(changeSet.tag())
					&& "tagDatabase".equals(String.valueOf(changeSet.description()).strip()))) {
			this.out.println("The tagDatabase changeset that set " + tag + " was undone too (as Liquibase does): the "
					+ "schema is at " + tag + ", and 'migrations update' (or --to-tag=" + tag
					+ ") records the tag again.");
		}
	}

}
