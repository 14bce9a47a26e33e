package dev.lockstep.core.lint;

import java.util.Locale;

/**
 * A table (or index) name as a statement wrote it, and its key for matching: the last part, unquoted or
 * lower-cased as PostgreSQL folds it.
 *
 * @param written as written, e.g. {@code public."Orders"}, for the live lookup ({@code to_regclass})
 * @param key the bare name as PostgreSQL resolves it, e.g. {@code Orders}
 */
record TableName(String written, String key) {

	static TableName of(String written) {
		String trimmed = written.strip();
		String last = trimmed;
		int dot = lastDotOutsideQuotes(trimmed);
		if (dot >= 0) {
			last = trimmed.substring(dot + 1);
		}
		return new TableName(trimmed, StatementAnalyzer.unquote(last));
	}

	private static int lastDotOutsideQuotes(String name) {
		boolean quoted = false;
		int dot = -1;
		for (int i = 0; i < name.length(); i++) {
			char c = name.charAt(i);
			if (c == '"') {
				quoted = !quoted;
			}
			else if (c == '.' && !quoted) {
				dot = i;
			}
		}
		return dot;
	}

	@Override
	public String toString() {
		return this.key.toLowerCase(Locale.ROOT).equals(this.key) ? this.key : this.written;
	}

}
