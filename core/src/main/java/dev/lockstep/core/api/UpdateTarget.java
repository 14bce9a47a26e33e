package dev.lockstep.core.api;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;

import liquibase.change.core.TagDatabaseChange;
import liquibase.changelog.ChangeSet;
import liquibase.changelog.DatabaseChangeLog;
import liquibase.command.CommandScope;
import liquibase.command.core.UpdateCommandStep;
import liquibase.command.core.UpdateCountCommandStep;
import liquibase.command.core.UpdateToTagCommandStep;

/**
 * How far an update goes: everything pending, the next {@code count} changesets, or up to a tag.
 *
 * @param count how many changesets to apply, or {@code null}
 * @param toTag the tag to stop at (its tagDatabase changeset included), or {@code null}
 */
public record UpdateTarget(Integer count, String toTag) {

	public static final UpdateTarget ALL = new UpdateTarget(null, null);

	public UpdateTarget {
		if (count != null && toTag != null) {
			throw new IllegalArgumentException("Give either a count or a tag, not both");
		}
		if (count != null && count < 1) {
			throw new IllegalArgumentException("The count must be at least 1, not " + count);
		}
	}

	public static UpdateTarget count(int count) {
		return new UpdateTarget(count, null);
	}

	public static UpdateTarget toTag(String tag) {
		return new UpdateTarget(null, tag);
	}

	public boolean isAll() {
		return this.count == null && this.toTag == null;
	}

	public String[] commandName() {
		if (this.count != null) {
			return UpdateCountCommandStep.COMMAND_NAME;
		}
		return (this.toTag != null) ? UpdateToTagCommandStep.COMMAND_NAME : UpdateCommandStep.COMMAND_NAME;
	}

	public void addArguments(CommandScope command) {
		if (this.count != null) {
			command.addArgumentValue(UpdateCountCommandStep.COUNT_ARG, this.count);
		}
		if (this.toTag != null) {
			command.addArgumentValue(UpdateToTagCommandStep.TAG_ARG, this.toTag);
		}
	}

	/**
	 * How many changesets the update will run, for the {@code [n/total]} progress lines.
	 * @param report the status the update starts from
	 * @param changeLog the changelog, in order
	 * @return the number of pending (and run-always) changesets within the target
	 */
	public int expectedCount(HistoryReport report, DatabaseChangeLog changeLog) {
		return plan(report, changeLog).size();
	}

	/**
	 * The changesets the update will run, in the order it runs them.
	 * @param report the status the update starts from
	 * @param changeLog the changelog, in order
	 * @return the pending (and run-always) changesets within the target, in changelog order
	 */
	public List<ChangeSet> plan(HistoryReport report, DatabaseChangeLog changeLog) {
		Set<String> toRun = new HashSet<>();
		report.status().pending().forEach((pending) -> toRun.add(key(pending.changeLog(), pending.id(), pending.author())));
		report.alwaysRun().forEach((ref) -> toRun.add(key(ref.changeLog(), ref.id(), ref.author())));
		// As Liquibase's UpToTagChangeSetFilter: up to the changeset that carries the tag in the history, or else
		// up to the tagDatabase changeset that sets it; both included.
		String tagged = (this.toTag == null) ? null : report.history()
			.stream()
			.filter((applied) -> this.toTag.equalsIgnoreCase(applied.tag()))
			.map((applied) -> key(applied.changeLog(), applied.id(), applied.author()))
			.findFirst()
			.orElse(null);
		List<ChangeSet> plan = new ArrayList<>();
		Set<String> seen = new HashSet<>();
		for (ChangeSet changeSet : changeLog.getChangeSets()) {
			if (this.count != null && plan.size() == this.count) {
				break;
			}
			String key = key(changeSet.getFilePath(), changeSet.getId(), changeSet.getAuthor());
			if (toRun.contains(key) && seen.add(key)) {
				plan.add(changeSet);
			}
			if (this.toTag != null && (key.equals(tagged) || changeSet.getChanges()
				.stream()
				.anyMatch((change) -> change instanceof TagDatabaseChange tagChange
						&& this.toTag.equals(tagChange.getTag())))) {
				break;
			}
		}
		return plan;
	}

	private static String key(String changeLog, String id, String author) {
		return (DatabaseChangeLog.normalizePath(changeLog) + "::" + id + "::" + author).toLowerCase(Locale.ROOT);
	}

}
