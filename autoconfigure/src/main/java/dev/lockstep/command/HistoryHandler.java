package dev.lockstep.command;

import java.io.PrintStream;
import java.util.List;

import dev.lockstep.core.api.AppliedChangeSet;
import dev.lockstep.core.MigrationCommands;

/**
 * {@code history}: applied changesets, newest first.
 */
final class HistoryHandler implements CommandHandler {

	private final MigrationCommands commands;

	private final PrintStream out;

	HistoryHandler(MigrationCommands commands, PrintStream out) {
		this.commands = commands;
		this.out = out;
	}

	@Override
	public int run(CommandLine line) {
		List<AppliedChangeSet> history = this.commands.history();
		if (line.json()) {
			this.out.println(Json.write(history));
			return CommandExecutor.OK;
		}
		this.out.println("Applied changesets, newest first: " + history.size());
		if (!history.isEmpty()) {
			TextTable table = new TextTable("#", "ID", "AUTHOR", "FILE", "APPLIED AT", "TYPE", "TAG");
			for (AppliedChangeSet changeSet : history) {
				table.row(changeSet.orderExecuted(), changeSet.id(), changeSet.author(), changeSet.changeLog(),
						changeSet.appliedAt(), changeSet.baselined() ? "BASELINE" : changeSet.execType(), changeSet.tag());
			}
			this.out.print(table.render());
		}
		return CommandExecutor.OK;
	}

}
