package dev.lockstep.core.api;

import java.util.Collection;
import java.util.Locale;

/**
 * Which lint findings make an apply refuse to run, before it changes anything.
 */
public enum LintFailOn {

	/** Never refuse: the findings are logged (the default, so that existing applications keep starting). */
	NEVER,

	/** Refuse on any finding, warning or error. */
	WARNING,

	/** Refuse on error-level findings (large tables, a changeset that would fail). */
	ERROR;

	/** Whether these findings reach the threshold. */
	public boolean reachedBy(Collection<LintFinding> findings) {
		return switch (this) {
			case NEVER -> false;
			case WARNING -> !findings.isEmpty();
			case ERROR -> findings.stream().anyMatch((finding) -> finding.severity() == LintSeverity.ERROR);
		};
	}

	/** {@code never}, {@code warning} or {@code error}, as the setting is written. */
	public String value() {
		return name().toLowerCase(Locale.ROOT);
	}

}
