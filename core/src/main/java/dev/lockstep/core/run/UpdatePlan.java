package dev.lockstep.core.run;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

import liquibase.change.core.TagDatabaseChange;
import liquibase.changelog.ChangeSet;
import liquibase.command.CommandScope;
import liquibase.command.core.UpdateCommandStep;
import liquibase.command.core.UpdateCountCommandStep;
import liquibase.command.core.UpdateToTagCommandStep;

import dev.lockstep.core.api.ChangeSetRef;
import dev.lockstep.core.api.HistoryReport;
import dev.lockstep.core.api.UpdateTarget;
import dev.lockstep.core.changelog.LoadedChangeLog;

/**
 * What an update to a target runs, and the Liquibase command that runs it.
 */
public final class UpdatePlan {

	private UpdatePlan() {
	}

	static String[] commandName(UpdateTarget target) {
		if (target.count() != null) {
			return UpdateCountCommandStep.COMMAND_NAME;
		}
		return (target.toTag() != null) ? UpdateToTagCommandStep.COMMAND_NAME : UpdateCommandStep.COMMAND_NAME;
	}

	static void addArguments(UpdateTarget target, CommandScope command) {
		if (target.count() != null) {
			command.addArgumentValue(UpdateCountCommandStep.COUNT_ARG, target.count());
		}
		if (target.toTag() != null) {
			command.addArgumentValue(UpdateToTagCommandStep.TAG_ARG, target.toTag());
		}
	}

	/**
	 * The changesets the update will run, in the order it runs them.
	 * @param target how far the update goes
	 * @param report the status the update starts from
	 * @param changeLog the changelog, in order
	 * @return the pending (and run-always) changesets within the target, in changelog order
	 */
	public static List<ChangeSet> of(UpdateTarget target, HistoryReport report, LoadedChangeLog changeLog) {
		Integer count = target.count();
		String toTag = target.toTag();
		Set<String> toRun = new HashSet<>();
		report.status().pending().forEach((pending) -> toRun.add(pending.ref().key()));
		report.alwaysRun().forEach((ref) -> toRun.add(ref.key()));
		// As Liquibase's UpToTagChangeSetFilter: up to the changeset that carries the tag in the history, or else
		// up to the tagDatabase changeset that sets it; both included.
		String tagged = (toTag == null) ? null : report.history()
			.stream()
			.filter((applied) -> toTag.equalsIgnoreCase(applied.tag()))
			.map((applied) -> applied.ref().key())
			.findFirst()
			.orElse(null);
		List<ChangeSet> plan = new ArrayList<>();
		Set<String> seen = new HashSet<>();
		for (ChangeSet changeSet : changeLog.changeLog().getChangeSets()) {
			if (count != null && plan.size() == count) {
				break;
			}
			String key = ChangeSetRef.key(changeSet);
			if (toRun.contains(key) && seen.add(key)) {
				plan.add(changeSet);
			}
			if (toTag != null && (key.equals(tagged) || changeSet.getChanges()
				.stream()
				.anyMatch((change) -> change instanceof TagDatabaseChange tagChange
						&& toTag.equals(tagChange.getTag())))) {
				break;
			}
		}
		return plan;
	}

}
