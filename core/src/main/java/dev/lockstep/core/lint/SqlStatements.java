package dev.lockstep.core.lint;

import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;

/**
 * Splits SQL text into statements at semicolons outside quotes, quoted identifiers, dollar-quoted bodies and
 * comments, and reduces each to the words that decide what it does: comments removed, string and dollar-quoted
 * literals replaced by {@code ''}, whitespace collapsed, keywords upper-cased (identifiers stay as written).
 */
public final class SqlStatements {

	private static final Pattern WHITESPACE = Pattern.compile("\\s+");

	private SqlStatements() {
	}

	/** The statements of the text, each normalised; empty statements left out. */
	public static List<String> split(String sql) {
		List<String> statements = new ArrayList<>();
		StringBuilder current = new StringBuilder();
		int i = 0;
		int length = sql.length();
		while (i < length) {
			char c = sql.charAt(i);
			if (c == '-' && i + 1 < length && sql.charAt(i + 1) == '-') {
				int end = sql.indexOf('\n', i);
				i = (end < 0) ? length : end;
				current.append(' ');
			}
			else if (c == '/' && i + 1 < length && sql.charAt(i + 1) == '*') {
				int end = sql.indexOf("*/", i + 2);
				i = (end < 0) ? length : end + 2;
				current.append(' ');
			}
			else if (c == '\'') {
				i = skipQuoted(sql, i, '\'');
				current.append("''");
			}
			else if (c == '"') {
				int end = skipQuoted(sql, i, '"');
				current.append(sql, i, end);
				i = end;
			}
			else if (c == '$' && dollarTag(sql, i) != null) {
				String tag = dollarTag(sql, i);
				int end = sql.indexOf(tag, i + tag.length());
				i = (end < 0) ? length : end + tag.length();
				current.append("''");
			}
			else if (c == ';') {
				add(statements, current);
				current.setLength(0);
				i++;
			}
			else {
				current.append(c);
				i++;
			}
		}
		add(statements, current);
		return statements;
	}

	private static void add(List<String> statements, StringBuilder statement) {
		String text = WHITESPACE.matcher(statement).replaceAll(" ").strip();
		if (!text.isEmpty()) {
			statements.add(text);
		}
	}

	private static int skipQuoted(String sql, int start, char quote) {
		int i = start + 1;
		while (i < sql.length()) {
			if (sql.charAt(i) == quote) {
				if (i + 1 < sql.length() && sql.charAt(i + 1) == quote) {
					i += 2;
					continue;
				}
				return i + 1;
			}
			i++;
		}
		return sql.length();
	}

	/** The dollar-quote tag starting at {@code start} ({@code $$} or {@code $name$}), or {@code null}. */
	private static String dollarTag(String sql, int start) {
		int i = start + 1;
		while (i < sql.length()) {
			char c = sql.charAt(i);
			if (c == '$') {
				return sql.substring(start, i + 1);
			}
			if (!(Character.isLetterOrDigit(c) || c == '_') || (i == start + 1 && Character.isDigit(c))) {
				return null;
			}
			i++;
		}
		return null;
	}

}
