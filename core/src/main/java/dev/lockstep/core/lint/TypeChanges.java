package dev.lockstep.core.lint;

import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Whether a column type change is one PostgreSQL makes without rewriting the table: a binary-compatible widening
 * ({@code varchar(n)} to a longer {@code varchar}, to unbounded {@code varchar} or {@code text}; {@code numeric(p,s)}
 * to a larger precision with the same scale or to unbounded {@code numeric}; a type to itself).
 */
final class TypeChanges {

	private static final Pattern VARCHAR = Pattern.compile("^(?:character varying|varchar)(?:\\((\\d+)\\))?$");

	private static final Pattern NUMERIC = Pattern.compile("^(?:numeric|decimal)(?:\\((\\d+)(?:,(\\d+))?\\))?$");

	private TypeChanges() {
	}

	static boolean rewrites(String from, String to) {
		String was = normalise(from);
		String now = normalise(to);
		if (was.equals(now)) {
			return false;
		}
		Matcher wasVarchar = VARCHAR.matcher(was);
		Matcher nowVarchar = VARCHAR.matcher(now);
		if (wasVarchar.matches() || was.equals("text")) {
			if (now.equals("text") || (nowVarchar.matches() && nowVarchar.group(1) == null)) {
				return false;
			}
			if (wasVarchar.matches() && wasVarchar.group(1) != null && nowVarchar.matches()) {
				return Integer.parseInt(nowVarchar.group(1)) < Integer.parseInt(wasVarchar.group(1));
			}
			return true;
		}
		Matcher wasNumeric = NUMERIC.matcher(was);
		Matcher nowNumeric = NUMERIC.matcher(now);
		if (wasNumeric.matches() && nowNumeric.matches()) {
			if (nowNumeric.group(1) == null) {
				return false;
			}
			if (wasNumeric.group(1) == null) {
				return true;
			}
			String wasScale = (wasNumeric.group(2) != null) ? wasNumeric.group(2) : "0";
			String nowScale = (nowNumeric.group(2) != null) ? nowNumeric.group(2) : "0";
			return !wasScale.equals(nowScale)
					|| Integer.parseInt(nowNumeric.group(1)) < Integer.parseInt(wasNumeric.group(1));
		}
		return true;
	}

	private static String normalise(String type) {
		String text = type.toLowerCase(Locale.ROOT).replaceAll("\\s+", " ").replace(" (", "(").replace(", ", ",")
			.strip();
		return switch (text) {
			case "int", "int4" -> "integer";
			case "int8" -> "bigint";
			case "int2" -> "smallint";
			case "bool" -> "boolean";
			default -> text;
		};
	}

}
