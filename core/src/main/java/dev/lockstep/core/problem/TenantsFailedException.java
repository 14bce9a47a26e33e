package dev.lockstep.core.problem;

import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * Tenants of a target failed at startup with {@code on-failure: fail}: every tenant was tried first, so the others
 * are migrated; the failed ones are named with their errors.
 */
public class TenantsFailedException extends MigrationException {

	private final String target;

	private final Map<String, String> failures;

	/**
	 * @param target the target's name
	 * @param tried how many tenants were tried
	 * @param failures each failed tenant's id and error, in the order they were listed
	 */
	public TenantsFailedException(String target, int tried, Map<String, String> failures) {
		super(Phrase.of(failures.size() + " of " + tried + " tenants of target " + target + " failed: "
				+ failures.entrySet()
					.stream()
					.map((failure) -> failure.getKey() + " (" + failure.getValue() + ")")
					.collect(Collectors.joining("; "))),
				(wording) -> "Every other tenant was migrated. Fix the cause named for each failed tenant and run "
						+ wording.command(Wording.Command.UPDATE,
								"--target=" + target + " --tenant=" + failures.keySet().iterator().next(), true)
						+ " (or restart); to start with failed tenants shown as FAILED instead, set "
						+ wording.setting(Wording.Setting.TENANTS_ON_FAILURE).replace("<name>", target)
						+ " to continue.",
				null);
		this.target = target;
		this.failures = Map.copyOf(failures);
	}

	public String target() {
		return this.target;
	}

	/** The failed tenants' ids. */
	public List<String> failedTenants() {
		return List.copyOf(this.failures.keySet());
	}

	public Map<String, String> failures() {
		return this.failures;
	}

}
