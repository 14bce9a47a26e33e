package dev.lockstep.command;

import java.io.PrintStream;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import dev.lockstep.core.api.PlannedChangeSet;

/**
 * Prints a changing command's plan before it runs ({@code update}, {@code baseline}), and ends a dry run there.
 * In JSON the plan is printed only for a dry run, so that the result stays one JSON document.
 */
final class PlanPrinter {

	private final PrintStream out;

	PlanPrinter(PrintStream out) {
		this.out = out;
	}

	/**
	 * Prints the plan.
	 * @param what what the command will do, e.g. "apply 3 changeset(s), in this order"
	 * @param nothing what to print when the plan is empty
	 * @return whether this is a dry run, which ends here
	 */
	boolean print(CommandLine line, List<PlannedChangeSet> plan, String what, String nothing) {
		boolean dryRun = line.flag("dry-run");
		if (line.json()) {
			if (dryRun) {
				this.out.println(Json.write(dryRun(plan)));
			}
			return dryRun;
		}
		if (plan.isEmpty()) {
			this.out.println(nothing);
		}
		else {
			this.out.println("Plan: " + what + ":");
			TextTable table = new TextTable("#", "ID", "AUTHOR", "FILE", "DESCRIPTION");
			int i = 1;
			for (PlannedChangeSet changeSet : plan) {
				table.row(i++, changeSet.id(), changeSet.author(), changeSet.changeLog(), changeSet.description());
			}
			this.out.print(table.render());
		}
		if (dryRun) {
			this.out.println("Dry run: nothing was changed.");
		}
		return dryRun;
	}

	/** {@code {"dryRun": true, "plan": ...}}. */
	static Map<String, Object> dryRun(Object plan) {
		Map<String, Object> json = new LinkedHashMap<>();
		json.put("dryRun", true);
		json.put("plan", plan);
		return json;
	}

}
