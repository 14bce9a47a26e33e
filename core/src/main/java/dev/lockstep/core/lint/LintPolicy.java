package dev.lockstep.core.lint;

import dev.lockstep.core.api.LintFailOn;

/**
 * How pending changesets are linted: from how many estimated rows a table counts as large (its findings are
 * errors), and which findings make an apply refuse to run.
 *
 * @param largeTableRows estimated rows from which a table is large
 * @param failOn which findings make an apply refuse
 */
public record LintPolicy(long largeTableRows, LintFailOn failOn) {

	public static final LintPolicy DEFAULT = new LintPolicy(Linter.DEFAULT_LARGE_TABLE_ROWS, LintFailOn.NEVER);

	public LintPolicy {
		if (largeTableRows < 1) {
			throw new IllegalArgumentException("largeTableRows must be at least 1, not " + largeTableRows);
		}
		failOn = (failOn != null) ? failOn : LintFailOn.NEVER;
	}

}
