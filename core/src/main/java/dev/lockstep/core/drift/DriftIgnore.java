package dev.lockstep.core.drift;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.regex.Pattern;

import dev.lockstep.core.problem.MigrationException;
import dev.lockstep.core.problem.Phrase;
import dev.lockstep.core.problem.Wording.Setting;

/**
 * Objects drift checks leave out: patterns {@code kind:name}, where {@code kind} is an object type (or {@code *})
 * and {@code name} a glob ({@code *} any characters, {@code ?} one), matched without regard to case. A table
 * pattern also leaves out what belongs to the matching tables (columns, constraints, indexes, triggers, policies).
 * Examples: {@code index:*_tmp}, {@code table:audit_*}, {@code function:pg_stat_*}, {@code column:*.legacy_*}.
 */
public final class DriftIgnore {

	/** The object types a pattern may name. */
	public static final Set<String> TYPES = Set.of("table", "column", "constraint", "index", "view",
			"materialized view", "sequence", "function", "procedure", "aggregate", "trigger", "type", "policy", "extension");

	public static final DriftIgnore NONE = new DriftIgnore(List.of());

	private final List<Rule> rules;

	private DriftIgnore(List<Rule> rules) {
		this.rules = List.copyOf(rules);
	}

	/**
	 * Parses the patterns.
	 * @throws MigrationException naming the first pattern that is not {@code kind:name} with a known kind
	 */
	public static DriftIgnore of(List<String> patterns) {
		List<Rule> rules = new ArrayList<>();
		for (String pattern : patterns) {
			String trimmed = pattern.trim();
			int colon = trimmed.indexOf(':');
			if (colon <= 0 || colon == trimmed.length() - 1) {
				throw invalid(pattern, "is not kind:name");
			}
			String kind = trimmed.substring(0, colon).trim().toLowerCase(Locale.ROOT).replace('-', ' ')
				.replace('_', ' ');
			if (!kind.equals("*") && !TYPES.contains(kind)) {
				throw invalid(pattern, "names no kind of object Lockstep compares");
			}
			rules.add(new Rule(kind, glob(trimmed.substring(colon + 1).trim())));
		}
		return new DriftIgnore(rules);
	}

	private static MigrationException invalid(String pattern, String why) {
		Phrase message = (wording) -> "The drift ignore pattern '" + pattern + "' (in "
				+ wording.setting(Setting.DRIFT_IGNORE) + ") " + why;
		return new MigrationException(message,
				Phrase.of("Write each pattern as kind:name, e.g. index:*_tmp or table:audit_*; kind is one of "
						+ String.join(", ", new java.util.TreeSet<>(TYPES)) + " (or *)."),
				null);
	}

	private static Pattern glob(String glob) {
		StringBuilder regex = new StringBuilder();
		for (char c : glob.toCharArray()) {
			switch (c) {
				case '*' -> regex.append(".*");
				case '?' -> regex.append('.');
				default -> regex.append(Pattern.quote(String.valueOf(c)));
			}
		}
		return Pattern.compile(regex.toString(), Pattern.CASE_INSENSITIVE | Pattern.UNICODE_CASE);
	}

	public boolean isEmpty() {
		return this.rules.isEmpty();
	}

	/** Whether the object is left out. */
	public boolean ignores(CatalogObject object) {
		for (Rule rule : this.rules) {
			if (rule.matches(object)) {
				return true;
			}
		}
		return false;
	}

	private record Rule(String kind, Pattern name) {

		boolean matches(CatalogObject object) {
			if (this.kind.equals("*") || this.kind.equals(object.type())) {
				if (this.name.matcher(object.name()).matches()) {
					return true;
				}
			}
			return this.kind.equals("table") && object.table() != null
					&& this.name.matcher(object.table()).matches();
		}

	}

}
