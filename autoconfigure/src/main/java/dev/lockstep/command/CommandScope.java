package dev.lockstep.command;

import org.jspecify.annotations.Nullable;

import dev.lockstep.core.MigrationCommands;
import dev.lockstep.core.api.MigrationMode;
import dev.lockstep.core.targets.MigrationTarget;
import dev.lockstep.core.targets.MigrationTenant;
import dev.lockstep.core.targets.TenantFleet;

/**
 * Where a command runs, as {@code --target}, {@code --tenant} and {@code --all-tenants} picked it: one database
 * (a target without tenants, or one tenant), or every tenant of a target.
 */
sealed interface CommandScope {

	/**
	 * One database: a target without tenants, or one tenant of a target.
	 *
	 * @param target the target's name
	 * @param tenant the tenant, or {@code null} for a target without tenants
	 * @param fleet the tenant's fleet, or {@code null} for a target without tenants
	 * @param commands the commands on its engine
	 * @param changeLog its master changelog
	 * @param mode its configured mode
	 */
	record One(String target, @Nullable MigrationTenant tenant, @Nullable TenantFleet fleet, MigrationCommands commands, String changeLog,
			MigrationMode mode) implements CommandScope {

		/** How the status names it, or {@code null} for the default target (whose output stays as it was). */
		@Nullable String label() {
			if (this.tenant != null) {
				return this.target + ", tenant " + this.tenant.id();
			}
			return MigrationTarget.DEFAULT.equals(this.target) ? null : this.target;
		}

	}

	/**
	 * Every tenant of a target.
	 *
	 * @param target the target
	 */
	record AllTenants(MigrationTarget target) implements CommandScope {
	}

}
