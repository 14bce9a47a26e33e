package dev.lockstep.core.changelog;

import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

import dev.lockstep.core.api.PendingSql;

/**
 * Hides, in SQL that is shown (the endpoint's pending SQL, {@code migrations sql} and {@code rollback-sql}), the
 * values Liquibase substituted for changelog parameters from outside the changelog, writing {@code ${name}}
 * instead, so a reviewer still sees which parameter goes there.
 * <p>
 * Values that cannot be told apart from ordinary SQL are left alone: empty ones, ones shorter than
 * {@value #MIN_LENGTH} characters, and {@code true}, {@code false} and {@code null}. A value made of digits only is
 * masked where it stands as a whole number (not inside a longer one). Longer values are masked first, so a value
 * that contains another is masked whole.
 */
public final class ParameterMasker {

	/** Shorter values are too common in SQL to be masked (and too short to be secrets). */
	static final int MIN_LENGTH = 4;

	private static final Set<String> LITERALS = Set.of("true", "false", "null");

	private static final ParameterMasker NONE = new ParameterMasker(null, Map.of());

	/** All values in one pattern, longest first, so each place is masked once and never inside a placeholder. */
	private final Pattern values;

	private final Map<String, String> placeholders;

	private ParameterMasker(Pattern values, Map<String, String> placeholders) {
		this.values = values;
		this.placeholders = placeholders;
	}

	/**
	 * A masker for the values substituted in the changelog so far, or one that changes nothing when values are to
	 * be shown.
	 */
	public static ParameterMasker of(LoadedChangeLog changeLog, boolean showValues) {
		if (showValues || !(changeLog.parameters() instanceof SubstitutedParameters parameters)) {
			return NONE;
		}
		return of(parameters.substituted());
	}

	/** A masker for the given values, by parameter name. */
	public static ParameterMasker of(Map<String, String> values) {
		Map<String, String> placeholders = new LinkedHashMap<>();
		values.entrySet()
			.stream()
			.filter((entry) -> isMaskable(entry.getValue()))
			.sorted(Comparator.comparingInt((Map.Entry<String, String> entry) -> entry.getValue().length())
				.reversed()
				.thenComparing(Map.Entry::getKey))
			.forEach((entry) -> placeholders.putIfAbsent(entry.getValue(), "${" + entry.getKey() + "}"));
		if (placeholders.isEmpty()) {
			return NONE;
		}
		String alternatives = placeholders.keySet()
			.stream()
			.map(ParameterMasker::pattern)
			.collect(Collectors.joining("|"));
		return new ParameterMasker(Pattern.compile(alternatives), Map.copyOf(placeholders));
	}

	/** A number is masked only where it stands whole, so that masking "2024" does not change "20245". */
	private static String pattern(String value) {
		String quoted = Pattern.quote(value);
		return value.chars().allMatch(Character::isDigit) ? "(?<![0-9])" + quoted + "(?![0-9])" : quoted;
	}

	static boolean isMaskable(String value) {
		return value != null && value.strip().length() >= MIN_LENGTH
				&& !LITERALS.contains(value.strip().toLowerCase(Locale.ROOT));
	}

	public String mask(String text) {
		if (text == null || this.values == null) {
			return text;
		}
		return this.values.matcher(text)
			.replaceAll((match) -> Matcher.quoteReplacement(this.placeholders.get(match.group())));
	}

	public List<String> mask(List<String> texts) {
		return texts.stream().map(this::mask).toList();
	}

	public PendingSql mask(PendingSql pending) {
		return pending.withSql(mask(pending.sql()));
	}

}
