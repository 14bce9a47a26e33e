package dev.lockstep.core.command;

import liquibase.command.CommandScope;
import liquibase.command.core.RollbackCommandStep;
import liquibase.command.core.RollbackCountCommandStep;
import liquibase.command.core.RollbackCountSqlCommandStep;
import liquibase.command.core.RollbackSqlCommandStep;
import liquibase.command.core.helpers.ChangeExecListenerCommandStep;
import liquibase.database.Database;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.jspecify.annotations.Nullable;

import dev.lockstep.core.api.HistoryReport;
import dev.lockstep.core.api.PlannedChangeSet;
import dev.lockstep.core.api.RollbackPlan;
import dev.lockstep.core.api.RollbackTarget;
import dev.lockstep.core.changelog.LiquibaseCommands;
import dev.lockstep.core.changelog.LiquibaseScope;
import dev.lockstep.core.run.AtomicChangeSets;
import dev.lockstep.core.run.InterruptedChangeSets;
import dev.lockstep.core.run.Prepared;
import dev.lockstep.core.run.ProgressLog;
import dev.lockstep.core.run.RunContext;

/**
 * {@code rollback}: undoes changesets under the lock, after checking (with the {@link RollbackPlanner}) that the
 * whole range can be undone and, when given, that it is still exactly the plan shown to the operator.
 */
public final class RollbackCommand {

	private static final Logger logger = LoggerFactory.getLogger("dev.lockstep.Migrations");

	private final RunContext context;

	public RollbackCommand(RunContext context) {
		this.context = context;
	}

	/**
	 * Works out what a rollback would undo and refuses, naming the reason, when it cannot be done in full.
	 */
	public RollbackPlan plan(RollbackTarget target) {
		return plan(this.context.prepare(), target);
	}

	/** The plan from the status read before the lock, asking a status session what can be undone automatically. */
	RollbackPlan plan(Prepared prepared, RollbackTarget target) {
		RollbackPlanner planner = new RollbackPlanner((change) -> this.context
			.withStatusDatabase((database) -> change.supportsRollback(database)));
		return planner.plan(prepared.report(), prepared.changeLog(), target);
	}

	/**
	 * Undoes changesets under the lock.
	 * @param shown the plan shown to the operator, or {@code null}: refused if the plan changed meanwhile
	 */
	public RollbackPlan rollback(RollbackTarget target, @Nullable RollbackPlan shown) {
		Prepared prepared = this.context.prepare();
		plan(prepared, target);
		return this.context.lockedRun().locked(prepared, (session) -> {
			Database database = session.database();
			// Planned again under the lock: another run may have changed the history meanwhile.
			HistoryReport now = this.context.reader().read(database, prepared.changeLog(), (c) -> null);
			RollbackPlan plan = RollbackPlanner.on(database).plan(now, prepared.changeLog(), target);
			InterruptedChangeSets.warn(session.connection(), this.context.inFlight(), now);
			if (shown != null) {
				CommandSupport.requireSamePlan(shown.changeSets().stream().map(PlannedChangeSet::of).toList(),
						plan.changeSets().stream().map(PlannedChangeSet::of).toList());
			}
			if (plan.changeSets().isEmpty()) {
				return plan;
			}
			ProgressLog progress = new ProgressLog(plan.changeSets().size());
			try {
				LiquibaseScope.call(this.context.resources(), database,
						this.context.lockedRun().liquibaseScope(prepared.lock()), () -> {
							CommandScope command = liquibaseCommand(target, plan, false, database, prepared);
							try (AtomicChangeSets atomic = this.context.atomicChangeSets(database, progress)) {
								command.addArgumentValue(ChangeExecListenerCommandStep.CHANGE_EXEC_LISTENER_ARG,
										atomic);
								command.execute();
								atomic.completed();
							}
							return null;
						});
			}
			catch (Exception ex) {
				throw this.context.translate(ex, progress, database);
			}
			logger.info("Rolled back {} changeset(s) ({})", plan.changeSets().size(), target);
			return plan;
		}).value();
	}

	/**
	 * The Liquibase command that undoes the plan (or prints its SQL). A date becomes the count of the newest rows
	 * applied after it (checked by the planner): Liquibase would compare the stored times through this JVM's zone.
	 */
	static CommandScope liquibaseCommand(RollbackTarget target, RollbackPlan plan, boolean sql, Database database,
			Prepared prepared) throws Exception {
		CommandScope command;
		if (target.count() != null || target.toDate() != null) {
			command = LiquibaseCommands.create(
					sql ? RollbackCountSqlCommandStep.COMMAND_NAME : RollbackCountCommandStep.COMMAND_NAME, database,
					prepared.changeLog());
			command.addArgumentValue(RollbackCountCommandStep.COUNT_ARG,
					(target.count() != null) ? target.count() : plan.changeSets().size());
		}
		else {
			command = LiquibaseCommands.create(sql ? RollbackSqlCommandStep.COMMAND_NAME : RollbackCommandStep.COMMAND_NAME,
					database, prepared.changeLog());
			command.addArgumentValue(RollbackCommandStep.TAG_ARG, target.toTag());
		}
		return command;
	}

}
