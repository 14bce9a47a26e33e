package dev.lockstep.core.command;

import java.sql.Connection;
import java.util.List;
import java.util.Map;

import liquibase.changelog.ChangeSet;
import liquibase.command.CommandScope;
import liquibase.command.core.ChangelogSyncCommandStep;
import liquibase.command.core.ChangelogSyncToTagCommandStep;
import liquibase.database.Database;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.jspecify.annotations.Nullable;

import dev.lockstep.core.api.AppliedChangeSet;
import dev.lockstep.core.api.HistoryReport;
import dev.lockstep.core.api.PlannedChangeSet;
import dev.lockstep.core.api.UpdateTarget;
import dev.lockstep.core.changelog.LiquibaseCommands;
import dev.lockstep.core.problem.Phrase;
import dev.lockstep.core.problem.Wording.Option;
import dev.lockstep.core.run.Prepared;
import dev.lockstep.core.run.RunContext;
import dev.lockstep.core.run.UpdatePlan;

/**
 * {@code baseline}: records pending changesets as applied without running them (all, or up to a tag), adopting a
 * database that other means already built. Refused (naming why) when the history is not empty or a changeset in
 * range creates a table that does not exist, unless forced.
 */
public final class BaselineCommand {

	private static final Logger logger = LoggerFactory.getLogger("dev.lockstep.Migrations");

	private static final Phrase TAG_ACTION = (wording) -> "Use a tag the changelog declares (a tagDatabase "
			+ "change), or leave out " + wording.option(Option.TO_TAG) + " to record every changeset.";

	private final RunContext context;

	public BaselineCommand(RunContext context) {
		this.context = context;
	}

	/**
	 * The changesets a baseline would record as applied, in order. Nothing is written.
	 */
	public List<PlannedChangeSet> plan(@Nullable String toTag, boolean force) {
		Prepared prepared = this.context.prepare();
		if (toTag != null) {
			// baseline has no --count: without --to-tag it records every changeset.
			CommandSupport.requireTagDeclared(prepared.changeLog(), toTag, TAG_ACTION);
		}
		return this.context.withRunSession((database) -> plan(CommandSupport.connection(database), database,
				prepared.report(), prepared, toTag, force));
	}

	/**
	 * Records the changesets as applied; the rows it writes are EXECTYPE MARK_RAN with COMMENTS starting
	 * {@value AppliedChangeSet#BASELINE_MARK}.
	 * @param shown the plan shown to the operator, or {@code null}: refused if the plan changed meanwhile
	 * @return how many changesets were marked
	 */
	public int baseline(@Nullable String toTag, boolean force, @Nullable List<PlannedChangeSet> shown) {
		Prepared prepared = this.context.prepare();
		if (toTag != null) {
			CommandSupport.requireTagDeclared(prepared.changeLog(), toTag, TAG_ACTION);
		}
		return this.context.lockedRun().locked(prepared, (session) -> {
			// Checked again under the lock: another run may have changed the history meanwhile.
			HistoryReport before = this.context.reader().read(session.database(), prepared.changeLog(), (c) -> null);
			List<PlannedChangeSet> plan = plan(session.connection(), session.database(), before, prepared, toTag,
					force);
			if (shown != null) {
				CommandSupport.requireSamePlan(shown, plan);
			}
			if (plan.isEmpty()) {
				return 0;
			}
			Map<String, Object> scope = this.context.lockedRun().liquibaseScope(prepared.lock());
			CommandSupport.run(this.context, session.database(), scope, () -> {
				CommandScope sync = LiquibaseCommands.create(
						(toTag != null) ? ChangelogSyncToTagCommandStep.COMMAND_NAME : ChangelogSyncCommandStep.COMMAND_NAME,
						session.database(), prepared.changeLog());
				if (toTag != null) {
					sync.addArgumentValue(ChangelogSyncToTagCommandStep.TAG_ARG, toTag);
				}
				sync.execute();
			});
			BaselineMark.mark(session.connection(), session.database(),
					(String) scope.get(liquibase.Scope.Attr.deploymentId.name()));
			HistoryReport after = this.context.reader().read(session.database(), prepared.changeLog(), (c) -> null);
			int marked = after.status().appliedCount() - before.status().appliedCount();
			logger.info("Baseline: marked {} changeset(s) as applied without running them", marked);
			return marked;
		}).value();
	}

	private static List<PlannedChangeSet> plan(Connection connection, Database database, HistoryReport report,
			Prepared prepared, String toTag, boolean force) {
		List<ChangeSet> plan = UpdatePlan.of(new UpdateTarget(null, toTag), report, prepared.changeLog());
		if (!force) {
			BaselineGuard.check(connection, database, report, plan);
		}
		return plan.stream().map(PlannedChangeSet::of).toList();
	}

}
