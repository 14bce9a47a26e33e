package dev.lockstep.command;

import java.io.PrintStream;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

import org.jspecify.annotations.Nullable;

import dev.lockstep.core.MigrationCommands;
import dev.lockstep.core.StatusSnapshot;
import dev.lockstep.core.api.AppliedChangeSet;
import dev.lockstep.core.api.DriftReport;
import dev.lockstep.core.api.MigrationStatus;
import dev.lockstep.core.api.RunResult;
import dev.lockstep.core.api.SchemaState;
import dev.lockstep.core.problem.MigrationException;
import dev.lockstep.core.targets.MigrationTarget;
import dev.lockstep.core.targets.MigrationTenant;
import dev.lockstep.core.targets.TargetSummary;
import dev.lockstep.core.targets.TenantFleet;

/**
 * A command on every tenant of a target ({@code --all-tenants}). {@code status} and {@code check} print one row
 * per tenant (state, pending, current) and where the target stands; {@code history}, {@code lint} and {@code sql}
 * print each tenant's own result under its name; {@code update} applies every tenant's pending changesets
 * ({@link TenantsUpdateHandler}). In JSON the tenants are an object keyed by tenant id. The tenants are listed
 * again first, so that tenants created since the application started are included.
 */
final class AllTenantsHandler implements CommandHandler {

	private final MigrationTarget target;

	private final TenantFleet fleet;

	private final PrintStream out;

	AllTenantsHandler(MigrationTarget target, PrintStream out) {
		this.target = target;
		this.fleet = target.tenants();
		this.out = out;
	}

	@Override
	public int run(CommandLine line) {
		List<MigrationTenant> tenants = this.fleet.refresh();
		return switch (line.command()) {
			case STATUS -> status(line, tenants, false);
			case CHECK -> status(line, tenants, true);
			case HISTORY -> history(line, tenants);
			case LINT -> lint(line, tenants);
			case SQL -> sql(tenants);
			case UPDATE -> new TenantsUpdateHandler(this.target, this.out).run(line, tenants);
			default -> throw new IllegalStateException("Not for all tenants: " + line.command());
		};
	}

	/**
	 * One tenant's row in {@code status --all-tenants}.
	 *
	 * @param state the tenant's state ({@code FAILED} when its last run in this process failed)
	 * @param pending how many changesets are pending
	 * @param current the newest applied changeset ({@code id::author}), or {@code null} for an empty history
	 * @param tag the current tag, or {@code null}
	 * @param applied how many changesets are applied
	 * @param error why it failed or could not be read, or {@code null}
	 */
	record TenantStatus(SchemaState state, int pending, @Nullable String current, @Nullable String tag, int applied,
			@Nullable String error) {
	}

	private int status(CommandLine line, List<MigrationTenant> tenants, boolean gate) {
		List<TenantReads.Read<TenantStatus>> reads = TenantReads.each(this.fleet, tenants,
				(tenant) -> statusOf(tenant, gate, line.json()));
		Map<String, TenantStatus> byTenant = new LinkedHashMap<>();
		for (TenantReads.Read<TenantStatus> read : reads) {
			byTenant.put(read.tenant().id(), (read.value() != null) ? read.value()
					: new TenantStatus(SchemaState.UNAVAILABLE, 0, null, null, 0,
							CommandProblems.describeAny(read.error())));
		}
		TargetSummary summary = TargetSummary.ofTenants(this.target.name(),
				byTenant.values().stream().map(TenantStatus::state).toList());
		List<String> notUpToDate = byTenant.entrySet()
			.stream()
			.filter((entry) -> entry.getValue().state() != SchemaState.UP_TO_DATE)
			.map((entry) -> entry.getKey() + " " + entry.getValue().state())
			.toList();
		if (line.json()) {
			Map<String, Object> json = new LinkedHashMap<>();
			json.put("target", this.target.name());
			json.put("state", summary.state());
			json.put("counts", summary.tenants());
			json.put("tenants", byTenant);
			this.out.println(Json.write(json));
		}
		else {
			this.out.println("Target      " + this.target.name() + " (" + tenants.size() + " tenants)");
			this.out.println("State       " + summary.state() + counts(summary));
			this.out.println();
			TextTable table = new TextTable("TENANT", "STATE", "PENDING", "CURRENT", "APPLIED", "ERROR");
			byTenant.forEach((id, status) -> table.row(id, status.state(), status.pending(), orDash(status.current()),
					status.applied(), orDash(status.error())));
			this.out.print(table.render());
			if (gate) {
				this.out.println();
				this.out.println(notUpToDate.isEmpty() ? "OK: every tenant matches the changelog."
						: "NOT UP TO DATE: " + notUpToDate.size() + " of " + tenants.size() + " tenants ("
								+ String.join(", ", notUpToDate) + "): run 'migrations update --target="
								+ this.target.name() + " --all-tenants' (or --tenant=ID) before this version starts "
								+ "in validate mode.");
			}
		}
		return (gate && !notUpToDate.isEmpty()) ? CommandExecutor.NOT_UP_TO_DATE : CommandExecutor.OK;
	}

	private static TenantStatus statusOf(MigrationTenant tenant, boolean gate, boolean json) {
		// A command shows the database as it is now, not a status cached earlier in this process.
		tenant.monitor().invalidate();
		StatusSnapshot snapshot = tenant.snapshot();
		MigrationStatus status = snapshot.status();
		SchemaState state = tenant.state();
		MigrationException failure = tenant.failure();
		// The table keeps to what went wrong; the JSON, read by scripts, says what to do as well.
		String error = (failure != null) ? (json ? CommandProblems.describe(failure) : CommandProblems.message(failure))
				: (snapshot.error() != null) ? snapshot.error() : recordedError(snapshot, state);
		if (gate && state == SchemaState.UP_TO_DATE) {
			DriftReport drift = new MigrationCommands(tenant.engine()).checkDrift();
			if (drift.hasDrift()) {
				state = SchemaState.SCHEMA_DRIFT;
				error = drift.objects().size() + " object(s) differ from what the migrations made (migrations diff "
						+ "--target=" + tenant.target() + " --tenant=" + tenant.id() + " shows them)";
			}
		}
		AppliedChangeSet current = status.current();
		return new TenantStatus(state, status.pending().size(),
				(current != null) ? current.id() + "::" + current.author() : null, status.currentTag(),
				status.appliedCount(), (error != null) ? OneLine.of(error) : null);
	}

	/** A tenant that failed in another process (e.g. at the application's startup): the recorded run's error. */
	private static @Nullable String recordedError(StatusSnapshot snapshot, SchemaState state) {
		RunResult lastRun = snapshot.lastRun();
		return (state == SchemaState.FAILED && lastRun != null) ? lastRun.error() : null;
	}

	private int history(CommandLine line, List<MigrationTenant> tenants) {
		List<TenantReads.Read<List<AppliedChangeSet>>> reads = TenantReads.each(this.fleet, tenants,
				(tenant) -> new MigrationCommands(tenant.engine()).history());
		if (line.json()) {
			Map<String, Object> json = new LinkedHashMap<>();
			reads.forEach((read) -> json.put(read.tenant().id(), read.value()));
			this.out.println(Json.write(json));
			return failures(reads);
		}
		for (TenantReads.Read<List<AppliedChangeSet>> read : reads) {
			this.out.println(heading(read.tenant()));
			if (read.failed()) {
				this.out.println("Not read: " + CommandProblems.describeAny(read.error()));
				continue;
			}
			List<AppliedChangeSet> history = read.value();
			this.out.println("Applied changesets, newest first: " + history.size());
			if (!history.isEmpty()) {
				TextTable table = new TextTable("#", "ID", "AUTHOR", "FILE", "APPLIED AT", "TYPE", "TAG");
				for (AppliedChangeSet changeSet : history) {
					table.row(changeSet.orderExecuted(), changeSet.id(), changeSet.author(), changeSet.changeLog(),
							changeSet.appliedAt(), changeSet.baselined() ? "BASELINE" : changeSet.execType(),
							changeSet.tag());
				}
				this.out.print(table.render());
			}
			this.out.println();
		}
		return failures(reads);
	}

	private int lint(CommandLine line, List<MigrationTenant> tenants) {
		List<TenantReads.Read<LintReport>> reads = TenantReads.each(this.fleet, tenants,
				(tenant) -> LintReport.of(new MigrationCommands(tenant.engine()).lint()));
		List<String> withErrors = reads.stream()
			.filter((read) -> read.value() != null && read.value().hasErrors())
			.map((read) -> read.tenant().id())
			.toList();
		if (line.json()) {
			Map<String, Object> json = new LinkedHashMap<>();
			reads.forEach((read) -> json.put(read.tenant().id(), read.value()));
			this.out.println(Json.write(json));
		}
		else {
			for (TenantReads.Read<LintReport> read : reads) {
				this.out.println(heading(read.tenant()));
				if (read.failed()) {
					this.out.println("Not linted: " + CommandProblems.describeAny(read.error()));
				}
				else {
					read.value().print(this.out);
				}
				this.out.println();
			}
			if (!withErrors.isEmpty()) {
				this.out.println("FAILED: error findings on " + String.join(", ", withErrors) + ". Fix them, or allow "
						+ "one with a reason in its changeset's comment: lockstep:allow <rule-id> -- <reason>");
			}
		}
		int failed = failures(reads);
		return (failed != CommandExecutor.OK) ? failed
				: withErrors.isEmpty() ? CommandExecutor.OK : CommandExecutor.LINT_ERRORS;
	}

	private int sql(List<MigrationTenant> tenants) {
		List<TenantReads.Read<String>> reads = TenantReads.each(this.fleet, tenants,
				(tenant) -> new MigrationCommands(tenant.engine()).updateSql());
		for (TenantReads.Read<String> read : reads) {
			this.out.println("-- " + heading(read.tenant()));
			this.out.print(read.failed() ? "-- Not generated: " + CommandProblems.describeAny(read.error()) + "\n"
					: read.value());
			this.out.println();
		}
		return failures(reads);
	}

	/** A tenant that could not be read fails the command (exit 3), naming it, after the others were printed. */
	private int failures(List<? extends TenantReads.Read<?>> reads) {
		List<String> failed = reads.stream().filter(TenantReads.Read::failed).map((read) -> read.tenant().id()).toList();
		if (failed.isEmpty()) {
			return CommandExecutor.OK;
		}
		throw new MigrationException(failed.size() + " of " + reads.size() + " tenants of target "
				+ this.target.name() + " could not be read: " + String.join(", ", failed) + ".",
				"See each tenant's error above, fix it and run the command again (--tenant=ID for one tenant).");
	}

	private static String heading(MigrationTenant tenant) {
		String schema = tenant.tenant().schema();
		return "Tenant " + tenant.id() + ((schema != null && !schema.equals(tenant.id())) ? " (schema " + schema + ")"
				: "") + ":";
	}

	static String counts(TargetSummary summary) {
		if (summary.tenants().isEmpty()) {
			return " (no tenants)";
		}
		return " (" + summary.tenants()
			.entrySet()
			.stream()
			.map((entry) -> entry.getValue() + " " + entry.getKey())
			.collect(Collectors.joining(", ")) + ")";
	}

	private static String orDash(@Nullable Object value) {
		return (value != null) ? value.toString() : "-";
	}

}
