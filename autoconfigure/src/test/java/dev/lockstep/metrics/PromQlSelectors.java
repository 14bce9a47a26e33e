package dev.lockstep.metrics;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * The series selectors of a PromQL expression ({@code name{label="value", ...}}) and the labels it groups or matches
 * by ({@code by (...)}, {@code on (...)}): a tokenizer, not a parser, which is all a check of names needs. Grafana
 * variables ({@code $target}, {@code $__rate_interval}) are left as they are.
 */
final class PromQlSelectors {

	/** Aggregations, set operators and modifiers: words that are never metric names. */
	private static final Set<String> KEYWORDS = Set.of("sum", "min", "max", "avg", "group", "stddev", "stdvar",
			"count", "count_values", "bottomk", "topk", "quantile", "limitk", "limit_ratio", "and", "or", "unless",
			"by", "without", "on", "ignoring", "group_left", "group_right", "bool", "offset", "inf", "nan");

	private static final Set<String> GROUPING = Set.of("by", "without", "on", "ignoring", "group_left",
			"group_right");

	record Matcher(String label, String operator, String value) {

		boolean hasVariable() {
			return this.value.contains("$");
		}

	}

	record Selector(String metric, List<Matcher> matchers) {
	}

	private final String expr;

	private int position;

	private final List<Selector> selectors = new ArrayList<>();

	private final Set<String> groupingLabels = new LinkedHashSet<>();

	private PromQlSelectors(String expr) {
		this.expr = expr;
	}

	static PromQlSelectors parse(String expr) {
		PromQlSelectors parsed = new PromQlSelectors(expr);
		parsed.tokenize();
		return parsed;
	}

	List<Selector> selectors() {
		return this.selectors;
	}

	Set<String> groupingLabels() {
		return this.groupingLabels;
	}

	private void tokenize() {
		while (this.position < this.expr.length()) {
			char c = this.expr.charAt(this.position);
			if (c == '"' || c == '\'' || c == '`') {
				string();
			}
			else if (c == '[') {
				skipPast(']');
			}
			else if (c == '{') {
				// A selector without a name: {__name__="..."}.
				List<Matcher> matchers = matchers();
				String name = matchers.stream().filter((m) -> m.label().equals("__name__")).map(Matcher::value)
					.findFirst().orElseThrow(() -> new IllegalArgumentException("A selector without a name in " + this.expr));
				this.selectors.add(new Selector(name, matchers));
			}
			else if (c == '$') {
				this.position++;
				while (this.position < this.expr.length() && isVariablePart(this.expr.charAt(this.position))) {
					this.position++;
				}
			}
			else if (Character.isLetter(c) || c == '_' || c == ':') {
				word();
			}
			else if (Character.isDigit(c) || c == '.') {
				while (this.position < this.expr.length()
						&& (Character.isLetterOrDigit(this.expr.charAt(this.position))
								|| this.expr.charAt(this.position) == '.')) {
					this.position++;
				}
			}
			else {
				this.position++;
			}
		}
	}

	private void word() {
		int start = this.position;
		while (this.position < this.expr.length() && isNamePart(this.expr.charAt(this.position))) {
			this.position++;
		}
		String word = this.expr.substring(start, this.position);
		char next = nextNonSpace();
		if (GROUPING.contains(word)) {
			if (next == '(') {
				skipSpaces();
				int close = this.expr.indexOf(')', this.position);
				for (String label : this.expr.substring(this.position + 1, close).split(",")) {
					if (!label.isBlank()) {
						this.groupingLabels.add(label.strip());
					}
				}
				this.position = close + 1;
			}
		}
		else if (KEYWORDS.contains(word.toLowerCase(java.util.Locale.ROOT)) || next == '(') {
			// An aggregation, operator or function.
		}
		else {
			List<Matcher> matchers = List.of();
			if (next == '{') {
				skipSpaces();
				matchers = matchers();
			}
			this.selectors.add(new Selector(word, matchers));
		}
	}

	private List<Matcher> matchers() {
		List<Matcher> matchers = new ArrayList<>();
		this.position++;
		while (true) {
			skipSpaces();
			char c = this.expr.charAt(this.position);
			if (c == '}') {
				this.position++;
				return matchers;
			}
			if (c == ',') {
				this.position++;
				continue;
			}
			int start = this.position;
			while (isNamePart(this.expr.charAt(this.position))) {
				this.position++;
			}
			String label = this.expr.substring(start, this.position);
			skipSpaces();
			int operatorStart = this.position;
			while ("=!~".indexOf(this.expr.charAt(this.position)) >= 0) {
				this.position++;
			}
			String operator = this.expr.substring(operatorStart, this.position);
			skipSpaces();
			if (label.isEmpty() || operator.isEmpty()) {
				throw new IllegalArgumentException("Cannot read the matchers at " + start + " of " + this.expr);
			}
			matchers.add(new Matcher(label, operator, string()));
		}
	}

	private String string() {
		char quote = this.expr.charAt(this.position);
		StringBuilder value = new StringBuilder();
		this.position++;
		while (this.expr.charAt(this.position) != quote) {
			char c = this.expr.charAt(this.position++);
			value.append((c == '\\' && quote != '`') ? this.expr.charAt(this.position++) : c);
		}
		this.position++;
		return value.toString();
	}

	private char nextNonSpace() {
		int at = this.position;
		while (at < this.expr.length() && Character.isWhitespace(this.expr.charAt(at))) {
			at++;
		}
		return (at < this.expr.length()) ? this.expr.charAt(at) : 0;
	}

	private void skipSpaces() {
		while (this.position < this.expr.length() && Character.isWhitespace(this.expr.charAt(this.position))) {
			this.position++;
		}
	}

	private void skipPast(char end) {
		this.position = this.expr.indexOf(end, this.position) + 1;
	}

	private static boolean isNamePart(char c) {
		return Character.isLetterOrDigit(c) || c == '_' || c == ':';
	}

	private static boolean isVariablePart(char c) {
		return isNamePart(c) || c == '{' || c == '}';
	}

}
