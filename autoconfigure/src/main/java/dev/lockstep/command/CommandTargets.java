package dev.lockstep.command;

import java.util.List;

import org.jspecify.annotations.Nullable;

import dev.lockstep.core.MigrationCommands;
import dev.lockstep.core.MigrationEngine;
import dev.lockstep.core.api.MigrationMode;
import dev.lockstep.core.problem.UnknownTargetException;
import dev.lockstep.core.targets.MigrationTarget;
import dev.lockstep.core.targets.MigrationTenant;
import dev.lockstep.core.targets.MigrationsRegistry;

/**
 * Picks where a command runs from {@code --target=NAME}, {@code --tenant=ID} and {@code --all-tenants}, turning
 * every wrong combination into a usage error that says what to give instead, before anything runs.
 */
final class CommandTargets {

	private final @Nullable MigrationsRegistry registry;

	/** The one database of an executor built for a single engine (no registry). */
	private final CommandScope.@Nullable One only;

	private CommandTargets(@Nullable MigrationsRegistry registry, CommandScope.@Nullable One only) {
		this.registry = registry;
		this.only = only;
	}

	/** Every target of the application. */
	static CommandTargets of(MigrationsRegistry registry) {
		return new CommandTargets(registry, null);
	}

	/** Just the default target, e.g. for an engine built by hand. */
	static CommandTargets single(MigrationCommands commands, String changeLog, MigrationMode mode) {
		return new CommandTargets(null,
				new CommandScope.One(MigrationTarget.DEFAULT, null, null, commands, changeLog, mode));
	}

	CommandScope select(CommandLine line) {
		String name = value(line, "target", "--target=NAME");
		String tenantId = value(line, "tenant", "--tenant=ID");
		boolean allTenants = line.flag("all-tenants");
		if (tenantId != null && allTenants) {
			throw new UsageException("Give --tenant=ID or --all-tenants, not both.");
		}
		String targetName = (name != null) ? name : MigrationTarget.DEFAULT;
		if (this.registry == null) {
			return only(targetName, tenantId, allTenants);
		}
		MigrationTarget target = target(this.registry, targetName);
		if (!target.hasTenants()) {
			if (tenantId != null || allTenants) {
				throw new UsageException("Target " + target.name() + " has no tenants: leave out "
						+ ((tenantId != null) ? "--tenant" : "--all-tenants") + ", or run the command on a target "
						+ "with tenants" + tenantTargets(this.registry) + ".");
			}
			MigrationEngine engine = target.engine();
			return new CommandScope.One(target.name(), null, null, new MigrationCommands(engine),
					engine.settings().changeLog(), target.mode());
		}
		if (allTenants) {
			if (!line.command().takesAllTenants()) {
				throw new UsageException("'migrations " + line.command().commandName() + "' runs on one tenant at a "
						+ "time: it changes or writes what a tenant's own decision must cover, and has no confirmation "
						+ "step. Name the tenant with --tenant=ID (list them with 'migrations status --target="
						+ target.name() + " --all-tenants').");
			}
			return new CommandScope.AllTenants(target);
		}
		if (tenantId == null) {
			throw new UsageException("Target " + target.name() + " is migrated per tenant: name one with --tenant=ID"
					+ (line.command().takesAllTenants() ? ", or all of them with --all-tenants" : "") + ".");
		}
		MigrationTenant tenant;
		try {
			tenant = target.tenant(tenantId);
		}
		catch (UnknownTargetException ex) {
			throw new UsageException(CommandProblems.describe(ex));
		}
		MigrationEngine engine = tenant.engine();
		return new CommandScope.One(target.name(), tenant, target.tenants(), new MigrationCommands(engine),
				engine.settings().changeLog(), target.mode());
	}

	private CommandScope only(String targetName, @Nullable String tenantId, boolean allTenants) {
		CommandScope.One one = this.only;
		if (!MigrationTarget.DEFAULT.equals(targetName)) {
			throw new UsageException("Unknown --target=" + targetName + ": the only target is "
					+ MigrationTarget.DEFAULT + ".");
		}
		if (tenantId != null || allTenants) {
			throw new UsageException("Target " + MigrationTarget.DEFAULT + " has no tenants: leave out "
					+ ((tenantId != null) ? "--tenant" : "--all-tenants") + ".");
		}
		return one;
	}

	private static MigrationTarget target(MigrationsRegistry registry, String name) {
		try {
			return registry.target(name);
		}
		catch (UnknownTargetException ex) {
			throw new UsageException("Unknown --target=" + name + ": the targets are "
					+ String.join(", ", registry.names()) + " (migrations.targets.*; without --target the command "
					+ "runs on " + MigrationTarget.DEFAULT + ").");
		}
	}

	private static String tenantTargets(MigrationsRegistry registry) {
		List<String> names = registry.targets().stream().filter(MigrationTarget::hasTenants)
			.map(MigrationTarget::name).toList();
		return names.isEmpty() ? "" : " (" + String.join(", ", names) + ")";
	}

	/** An option that needs a value, or {@code null} when not given. */
	private static @Nullable String value(CommandLine line, String option, String form) {
		String value = line.option(option);
		if (value != null && (value.isBlank() || value.equals("true"))) {
			throw new UsageException("--" + option + " needs a value: " + form + ".");
		}
		return value;
	}

}
