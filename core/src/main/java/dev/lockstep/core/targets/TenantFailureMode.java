package dev.lockstep.core.targets;

/**
 * What a failing tenant does to the start of the application ({@code tenants.on-failure}). Either way every tenant
 * is tried, and a failed one is recorded as {@code FAILED} with its error.
 */
public enum TenantFailureMode {

	/** Startup fails once all tenants have been tried, listing the failed ones (the default). */
	FAIL,

	/** The application starts; failed tenants show as {@code FAILED} in the endpoint, health and metrics. */
	CONTINUE

}
