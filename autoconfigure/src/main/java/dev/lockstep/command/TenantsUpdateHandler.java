package dev.lockstep.command;

import java.io.PrintStream;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import dev.lockstep.core.MigrationCommands;
import dev.lockstep.core.api.PlannedChangeSet;
import dev.lockstep.core.api.UpdateTarget;
import dev.lockstep.core.problem.MigrationException;
import dev.lockstep.core.problem.TenantsFailedException;
import dev.lockstep.core.targets.MigrationTarget;
import dev.lockstep.core.targets.MigrationTenant;
import dev.lockstep.core.targets.TargetRun;
import dev.lockstep.core.targets.TargetSummary;
import dev.lockstep.core.targets.TenantFleet;
import dev.lockstep.core.targets.TenantOutcome;

/**
 * {@code update --all-tenants [--dry-run]}: shows every tenant's plan, then migrates the tenants as a startup does
 * ({@code migrations.parallelism} at a time, each under its own lock, its schema created when missing, every tenant
 * tried even when some fail, a failed one kept as {@code FAILED}) and prints each tenant's outcome. Exits 3 naming
 * the failed tenants whatever the target's {@code tenants.on-failure}: the command's caller (a deploy step) must not
 * go on as if all were migrated. The tenants are run here rather than by {@link TenantFleet#runAll}, so that each
 * tenant's outcome is known in every failure mode.
 */
final class TenantsUpdateHandler {

	private final MigrationTarget target;

	private final TenantFleet fleet;

	private final PrintStream out;

	TenantsUpdateHandler(MigrationTarget target, PrintStream out) {
		this.target = target;
		this.fleet = target.tenants();
		this.out = out;
	}

	int run(CommandLine line, List<MigrationTenant> tenants) {
		if (line.option("count") != null || line.option("to-tag") != null) {
			throw new UsageException("--count and --to-tag apply part of the changelog to one tenant: give --tenant=ID "
					+ "with them. --all-tenants applies everything pending on every tenant.");
		}
		boolean dryRun = line.flag("dry-run");
		boolean json = line.json();
		List<TenantReads.Read<List<PlannedChangeSet>>> plans = TenantReads.each(this.fleet, tenants,
				(tenant) -> new MigrationCommands(tenant.engine()).planUpdate(UpdateTarget.ALL));
		if (json) {
			if (dryRun) {
				Map<String, Object> plan = new LinkedHashMap<>();
				plans.forEach((read) -> plan.put(read.tenant().id(), (read.value() != null) ? read.value()
						: Map.of("error", CommandProblems.describeAny(read.error()))));
				this.out.println(Json.write(PlanPrinter.dryRun(plan)));
				return CommandExecutor.OK;
			}
		}
		else {
			printPlan(plans);
			if (dryRun) {
				this.out.println("Dry run: nothing was changed.");
				return CommandExecutor.OK;
			}
		}
		Instant start = Instant.now();
		List<TenantOutcome> outcomes = TenantReads.each(this.fleet, tenants, this::migrate)
			.stream()
			.map((read) -> (read.value() != null) ? read.value()
					: new TenantOutcome(read.tenant().id(), null, new MigrationException(
							CommandProblems.describeAny(read.error()), "See the log for the cause."), Duration.ZERO))
			.toList();
		TargetRun run = new TargetRun(this.target.name(), outcomes, Duration.between(start, Instant.now()));
		if (json) {
			this.out.println(Json.write(result(tenants, run)));
		}
		else {
			printResult(tenants, run);
		}
		List<TenantOutcome> failed = run.failed();
		if (!failed.isEmpty()) {
			Map<String, String> failures = new LinkedHashMap<>();
			failed.forEach((outcome) -> failures.put(outcome.tenant(),
					outcome.failure().message(MigrationsWording.INSTANCE)));
			String message = new TenantsFailedException(this.target.name(), tenants.size(), failures).getMessage();
			throw new MigrationException(message, "Every other tenant was migrated. Fix the cause named for each "
					+ "failed tenant, then run java -jar app.jar migrations update --target=" + this.target.name()
					+ " --tenant=" + failed.get(0).tenant() + " (or --all-tenants again).");
		}
		return CommandExecutor.OK;
	}

	/** One tenant, as {@code MigrationsRegistry.migrate} does it: its schema created when missing, a failure kept. */
	private TenantOutcome migrate(MigrationTenant tenant) {
		Instant start = Instant.now();
		// The run's log lines do not name the tenant; the thread's name does (logs print it, e.g. [tenant_02]).
		Thread thread = Thread.currentThread();
		String threadName = thread.getName();
		thread.setName(tenant.id());
		try {
			return new TenantOutcome(tenant.id(), this.fleet.migrate(tenant), null,
					Duration.between(start, Instant.now()));
		}
		catch (MigrationException ex) {
			return new TenantOutcome(tenant.id(), null, ex, Duration.between(start, Instant.now()));
		}
		finally {
			thread.setName(threadName);
		}
	}

	private void printPlan(List<TenantReads.Read<List<PlannedChangeSet>>> plans) {
		int total = plans.stream().mapToInt((read) -> (read.value() != null) ? read.value().size() : 0).sum();
		long waiting = plans.stream().filter((read) -> read.value() == null || !read.value().isEmpty()).count();
		this.out.println("Plan: target " + this.target.name() + ", " + plans.size() + " tenants: apply " + total
				+ " changeset(s) to " + waiting + " of them, " + Math.min(this.fleet.parallelism(), plans.size())
				+ " at a time:");
		TextTable table = new TextTable("TENANT", "PENDING", "FIRST", "LAST");
		for (TenantReads.Read<List<PlannedChangeSet>> read : plans) {
			List<PlannedChangeSet> plan = read.value();
			if (plan == null) {
				table.row(read.tenant().id(), "?", "not planned: " + CommandProblems.describeAny(read.error()), "-");
			}
			else {
				table.row(read.tenant().id(), plan.size(), plan.isEmpty() ? "-" : name(plan.get(0)),
						plan.isEmpty() ? "-" : name(plan.get(plan.size() - 1)));
			}
		}
		this.out.print(table.render());
	}

	private void printResult(List<MigrationTenant> tenants, TargetRun run) {
		Map<String, TenantOutcome> outcomes = outcomes(run);
		this.out.println();
		TextTable table = new TextTable("TENANT", "RESULT", "APPLIED", "TOOK", "STATE", "ERROR");
		for (MigrationTenant tenant : tenants) {
			TenantOutcome outcome = outcomes.get(tenant.id());
			MigrationException error = tenant.failure();
			table.row(tenant.id(), (error != null) ? "FAILED" : "ok",
					(outcome != null && outcome.result() != null) ? outcome.result().applied() : "-",
					(outcome != null) ? outcome.took().toMillis() + " ms" : "-", tenant.state(),
					(error != null) ? CommandProblems.message(error) : "-");
		}
		this.out.print(table.render());
		TargetSummary summary = TargetSummary.ofTenants(this.target.name(),
				tenants.stream().map(MigrationTenant::state).toList());
		this.out.println("Target " + this.target.name() + ": " + summary.state() + AllTenantsHandler.counts(summary)
				+ ", " + run.applied() + " changeset(s) applied in " + run.took().toMillis() + " ms.");
	}

	private Map<String, Object> result(List<MigrationTenant> tenants, TargetRun run) {
		Map<String, TenantOutcome> outcomes = outcomes(run);
		Map<String, Object> byTenant = new LinkedHashMap<>();
		for (MigrationTenant tenant : tenants) {
			TenantOutcome outcome = outcomes.get(tenant.id());
			Map<String, Object> one = new LinkedHashMap<>();
			one.put("state", tenant.state());
			one.put("applied", (outcome != null && outcome.result() != null) ? outcome.result().applied() : null);
			one.put("durationMs", (outcome != null) ? outcome.took().toMillis() : null);
			one.put("error", (tenant.failure() != null) ? CommandProblems.describe(tenant.failure()) : null);
			byTenant.put(tenant.id(), one);
		}
		Map<String, Object> json = new LinkedHashMap<>();
		json.put("target", this.target.name());
		json.put("state", TargetSummary.worst(tenants.stream().map(MigrationTenant::state).toList()));
		json.put("applied", run.applied());
		json.put("durationMs", run.took().toMillis());
		json.put("tenants", byTenant);
		return json;
	}

	private static Map<String, TenantOutcome> outcomes(TargetRun run) {
		Map<String, TenantOutcome> outcomes = new LinkedHashMap<>();
		run.outcomes().forEach((outcome) -> outcomes.put(outcome.tenant(), outcome));
		return outcomes;
	}

	private static String name(PlannedChangeSet changeSet) {
		return changeSet.id() + "::" + changeSet.author();
	}

}
