package dev.lockstep.core.lint;

import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.jspecify.annotations.Nullable;

/**
 * The {@code lockstep:allow <rule-id> -- <reason>} notes of a changeset's comment (several may follow each other).
 */
record Suppressions(List<Allow> allows) {

	private static final Pattern ALLOW = Pattern
		.compile("lockstep:allow\\s+([A-Za-z-]+)(?:\\s*--\\s*(.*?))?\\s*(?=lockstep:allow|$)", Pattern.DOTALL);

	static Suppressions parse(@Nullable String comments) {
		List<Allow> allows = new ArrayList<>();
		if (comments != null) {
			Matcher matcher = ALLOW.matcher(comments);
			while (matcher.find()) {
				String reason = (matcher.group(2) != null) ? matcher.group(2).strip() : "";
				allows.add(new Allow(matcher.group(1), reason));
			}
		}
		return new Suppressions(allows);
	}

	/** Whether a finding of the rule is allowed with a reason. */
	boolean allows(LintRule rule) {
		return this.allows.stream().anyMatch((allow) -> allow.rule().equals(rule.id()) && !allow.reason().isEmpty());
	}

	record Allow(String rule, String reason) {
	}

}
