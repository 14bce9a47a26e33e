package dev.lockstep.core.command;

import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.function.Function;
import java.util.stream.Collectors;

import liquibase.change.Change;
import liquibase.change.core.TagDatabaseChange;
import liquibase.changelog.ChangeSet;
import liquibase.database.Database;

import dev.lockstep.core.api.AppliedChangeSet;
import dev.lockstep.core.problem.Wording.Option;
import dev.lockstep.core.problem.Phrase;
import dev.lockstep.core.api.ChangeSetRef;
import dev.lockstep.core.api.HistoryReport;
import dev.lockstep.core.api.RollbackPlan;
import dev.lockstep.core.api.RollbackTarget;
import dev.lockstep.core.changelog.LoadedChangeLog;
import dev.lockstep.core.problem.MigrationException;

/**
 * Works out what a rollback would undo, exactly as Liquibase would, and refuses, naming the reason, when it cannot
 * be done in full. Reads nothing itself: it is given the history and the changelog.
 */
public final class RollbackPlanner {

	/** Asks a database whether a change can be undone automatically (its SQL generators differ per database). */
	private final Function<Change, Boolean> supportsRollback;

	/**
	 * @param supportsRollback whether a change without a rollback block can be undone automatically on the
	 * database the rollback runs on
	 */
	public RollbackPlanner(Function<Change, Boolean> supportsRollback) {
		this.supportsRollback = supportsRollback;
	}

	/** A planner that asks the given database. */
	public static RollbackPlanner on(Database database) {
		return new RollbackPlanner((change) -> change.supportsRollback(database));
	}

	/**
	 * The plan for a target.
	 * @param report the history to roll back
	 * @param changeLog the changelog that declares how to undo each changeset
	 * @param target how far to go back
	 * @return the changesets to undo, newest first
	 */
	public RollbackPlan plan(HistoryReport report, LoadedChangeLog changeLog, RollbackTarget target) {
		List<AppliedChangeSet> newestFirst = new ArrayList<>(report.history());
		Collections.reverse(newestFirst);
		List<AppliedChangeSet> range = new ArrayList<>();
		if (target.count() != null) {
			if (target.count() > newestFirst.size()) {
				throw new MigrationException("Cannot roll back " + target.count() + " changeset(s): only "
						+ newestFirst.size() + " are applied. Nothing was changed.",
						(wording) -> "Use " + wording.option(Option.COUNT) + "=" + Math.max(newestFirst.size(), 1)
								+ " or less, or " + wording.option(Option.TO_TAG) + ".");
			}
			range.addAll(newestFirst.subList(0, target.count()));
		}
		else if (target.toTag() != null) {
			// Exactly what Liquibase's rollback to a tag undoes (tagVersion OLDEST, its default): everything applied
			// after the oldest row carrying the tag, and that row too when it is the tagDatabase changeset that set
			// the tag (unless keepTagOnRollback), so that a later update applies it, and the tag, again.
			List<AppliedChangeSet> oldestFirst = report.history();
			int tagged = -1;
			for (int i = 0; i < oldestFirst.size() && tagged < 0; i++) {
				if (target.toTag().equalsIgnoreCase(oldestFirst.get(i).tag())) {
					tagged = i;
				}
			}
			if (tagged < 0) {
				String tags = newestFirst.stream()
					.map(AppliedChangeSet::tag)
					.filter(Objects::nonNull)
					.collect(Collectors.joining(", "));
				throw new MigrationException("Tag '" + target.toTag() + "' does not exist in the history. Nothing was "
						+ "changed.", tags.isEmpty() ? (wording) -> "The history has no tags: use "
								+ wording.option(Option.COUNT) + " or " + wording.option(Option.TO_DATE) + "."
								: Phrase.of("Tags in the history, newest first: " + tags + "."));
			}
			range.addAll(newestFirst.subList(0, oldestFirst.size() - 1 - tagged));
			AppliedChangeSet tagRow = oldestFirst.get(tagged);
			if (isTagDatabaseRow(tagRow) && !keepsTagOnRollback(changeLog, tagRow)) {
				range.add(tagRow);
			}
		}
		else {
			// Instants on both sides (see HistoryTime), whatever this JVM's zone.
			for (AppliedChangeSet applied : newestFirst) {
				if (applied.appliedAt() != null && applied.appliedAt().isAfter(target.toDate())) {
					range.add(applied);
				}
			}
			requireNewestRows(newestFirst, range, target);
		}
		requireUndoable(changeLog, range);
		return new RollbackPlan(target, range);
	}

	/**
	 * A rollback to a date undoes the newest rows of the history, as a rollback by count does (it is run as one, so
	 * that Liquibase never compares times itself). Rows whose times are out of order (written by tools whose
	 * sessions used other time zones) would make "after the date" something else: refused.
	 */
	private static void requireNewestRows(List<AppliedChangeSet> newestFirst, List<AppliedChangeSet> range,
			RollbackTarget target) {
		if (newestFirst.subList(0, range.size()).equals(range)) {
			return;
		}
		AppliedChangeSet older = newestFirst.stream().filter((applied) -> !range.contains(applied)).findFirst()
			.orElseThrow();
		AppliedChangeSet after = range.get(range.size() - 1);
		throw new MigrationException("Cannot roll back " + target + ": " + older.ref() + " (applied at "
				+ older.appliedAt() + ") ran after " + after.ref() + " (applied at " + after.appliedAt()
				+ "), so the history's times are out of order (rows written by tools in other time zones?). "
				+ "Nothing was changed.", (wording) -> "Use " + wording.option(Option.COUNT) + "=N or "
						+ wording.option(Option.TO_TAG) + "=T, after checking the plan with "
						+ wording.option(Option.DRY_RUN) + ".");
	}

	private static boolean isTagDatabaseRow(AppliedChangeSet applied) {
		return "tagDatabase".equals((applied.description() != null) ? applied.description().strip() : "");
	}

	private static boolean keepsTagOnRollback(LoadedChangeLog changeLog, AppliedChangeSet applied) {
		String key = applied.ref().key();
		for (ChangeSet changeSet : changeLog.changeLog().getChangeSets()) {
			if (ChangeSetRef.key(changeSet).equals(key)) {
				return changeSet.getChanges()
					.stream()
					.anyMatch((change) -> change instanceof TagDatabaseChange tag
							&& Boolean.TRUE.equals(tag.isKeepTagOnRollback()));
			}
		}
		return false;
	}

	private void requireUndoable(LoadedChangeLog changeLog, List<AppliedChangeSet> range) {
		Map<String, ChangeSet> declared = new HashMap<>();
		for (ChangeSet changeSet : changeLog.changeLog().getChangeSets()) {
			declared.put(ChangeSetRef.key(changeSet), changeSet);
		}
		List<String> problems = new ArrayList<>();
		for (AppliedChangeSet applied : range) {
			ChangeSet changeSet = declared.get(applied.ref().key());
			if (changeSet == null) {
				problems.add(applied.ref() + " is not in this changelog, so how to undo it is unknown");
				continue;
			}
			if (!changeSet.getRollback().getChanges().isEmpty()) {
				continue;
			}
			List<String> manual = new ArrayList<>();
			for (Change change : changeSet.getChanges()) {
				if (!this.supportsRollback.apply(change)) {
					manual.add(change.getSerializedObjectName());
				}
			}
			if (!manual.isEmpty()) {
				problems.add(applied.ref() + " has no rollback block and its " + String.join(", ", manual)
						+ " change(s) cannot be undone automatically");
			}
		}
		if (!problems.isEmpty()) {
			throw new MigrationException("Cannot roll back " + range.size() + " changeset(s): "
					+ problems.stream().map((text) -> "\n  - " + text).collect(Collectors.joining())
					+ "\nNothing was changed.",
					"Add a rollback block to the changesets named (or roll back fewer changesets).");
		}
	}

}
