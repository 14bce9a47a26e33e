package dev.lockstep.core.problem;

import java.util.List;

/**
 * An apply refused to run, before changing anything, because the changesets it was about to run have lint findings
 * at or above the configured threshold.
 */
public class LintRefusedException extends MigrationException {

	private final List<String> findings;

	/**
	 * @param threshold the threshold as written ({@code warning} or {@code error})
	 * @param findings the findings that reached it, one line each ({@code severity rule changeset: message})
	 */
	public LintRefusedException(String threshold, List<String> findings) {
		super((wording) -> "Refusing to apply: " + findings.size() + " lint finding(s) reach "
				+ wording.setting(Wording.Setting.LINT_FAIL_ON) + "=" + threshold + "; nothing was applied: "
				+ String.join("; ", findings),
				(wording) -> "Make each changeset safe as its finding says, or allow the rule in the changeset's "
						+ "comment with 'lockstep:allow <rule-id> -- <reason>', or set "
						+ wording.setting(Wording.Setting.LINT_FAIL_ON) + " to "
						+ (threshold.equals("warning") ? "error or never" : "never") + ".",
				null);
		this.findings = List.copyOf(findings);
	}

	/** The findings that reached the threshold, one line each. */
	public List<String> findings() {
		return this.findings;
	}

}
