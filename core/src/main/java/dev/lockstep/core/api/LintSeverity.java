package dev.lockstep.core.api;

import java.util.Locale;

/** How bad a finding is: graded by the size of the live table it touches. */
public enum LintSeverity {

	WARNING, ERROR;

	/** {@code warning} or {@code error}, as JSON and the command line show it. */
	public String value() {
		return name().toLowerCase(Locale.ROOT);
	}

}
