package dev.lockstep.core.api;

/**
 * What a pending changeset does that can hurt a busy database, graded by the live table it touches.
 *
 * @param rule the rule's id, e.g. {@code index-not-concurrent}
 * @param severity {@code error} or {@code warning}
 * @param message what the changeset does and to which table (with its estimated rows)
 * @param fix the safe way to do it
 */
public record LintFinding(String rule, LintSeverity severity, String message, String fix) {
}
