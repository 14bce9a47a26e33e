package dev.lockstep.command;

import java.io.PrintStream;
import java.util.List;

import org.jspecify.annotations.Nullable;

import dev.lockstep.core.MigrationCommands;
import dev.lockstep.core.api.PlannedChangeSet;
import dev.lockstep.core.api.RunResult;
import dev.lockstep.core.api.UpdateTarget;
import dev.lockstep.core.targets.MigrationTenant;
import dev.lockstep.core.targets.TenantFleet;

/**
 * {@code update [--count=N | --to-tag=T] [--dry-run]}: shows the plan, then applies it under the lock (on one
 * database: a target without tenants, or one tenant).
 */
final class UpdateHandler implements CommandHandler {

	private final MigrationCommands commands;

	private final @Nullable MigrationTenant tenant;

	private final @Nullable TenantFleet fleet;

	private final PrintStream out;

	private final PlanPrinter plans;

	UpdateHandler(CommandScope.One scope, PrintStream out) {
		this.commands = scope.commands();
		this.tenant = scope.tenant();
		this.fleet = scope.fleet();
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
		// A whole tenant is migrated as the application migrates it: its schema created first when missing, and
		// a failure kept, so that the tenant shows FAILED.
		RunResult result = (this.fleet != null && this.tenant != null && target == UpdateTarget.ALL)
				? this.fleet.migrate(this.tenant) : this.commands.update(target);
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
