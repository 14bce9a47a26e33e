package dev.lockstep.core.problem;

import java.util.Collection;

/**
 * A target or tenant was named that is not configured (or not listed by the target's tenant source).
 */
public class UnknownTargetException extends MigrationException {

	private UnknownTargetException(String message, String action) {
		super(message, action);
	}

	public static UnknownTargetException target(String name, Collection<String> known) {
		return new UnknownTargetException("There is no migration target named " + name + ".",
				"Name one of the configured targets: " + String.join(", ", known) + ".");
	}

	public static UnknownTargetException tenant(String target, String tenant, Collection<String> known) {
		String some = known.stream().limit(10).reduce((a, b) -> a + ", " + b).orElse("none");
		return new UnknownTargetException("Target " + target + " has no tenant " + tenant + " (its tenant source does "
				+ "not list it).", "Add the tenant to the target's tenant source (tenants.schemas, tenants.query or "
						+ "its TenantSource bean) first; known tenants: " + some
						+ ((known.size() > 10) ? ", ... (" + known.size() + " in all)" : "") + ".");
	}

	public static UnknownTargetException noTenants(String target) {
		return new UnknownTargetException("Target " + target + " has no tenants.",
				"Leave out the tenant for this target, or configure its tenants (tenants.schemas, tenants.query or "
						+ "a TenantSource bean).");
	}

	public static UnknownTargetException tenantsOnly(String target) {
		return new UnknownTargetException("Target " + target + " is migrated per tenant.",
				"Name a tenant of it, or all of its tenants.");
	}

}
