package dev.lockstep.core.command;

import java.time.Duration;
import java.time.Instant;
import java.util.List;

import liquibase.changelog.ChangeSet;

import dev.lockstep.core.api.MigrationMode;
import dev.lockstep.core.problem.Wording.Option;
import dev.lockstep.core.problem.Phrase;
import dev.lockstep.core.api.PlannedChangeSet;
import dev.lockstep.core.api.RunOutcome;
import dev.lockstep.core.api.RunResult;
import dev.lockstep.core.api.UpdateTarget;
import dev.lockstep.core.problem.MigrationException;
import dev.lockstep.core.run.ApplyOperation;
import dev.lockstep.core.run.LockedRun.LockedResult;
import dev.lockstep.core.run.Prepared;
import dev.lockstep.core.run.RunContext;
import dev.lockstep.core.run.SchemaCollisions;
import dev.lockstep.core.run.UpdatePlan;
import dev.lockstep.core.status.Mismatches;

/**
 * {@code update}: applies pending changesets (all, the next {@code count}, or up to a tag) under the lock, or
 * plans it without running anything.
 */
public final class UpdateCommand {

	private static final Phrase TAG_ACTION = (wording) -> "Use a tag the changelog declares (a tagDatabase change), "
			+ "or " + wording.option(Option.COUNT) + ".";

	private final RunContext context;

	private final ApplyOperation apply;

	public UpdateCommand(RunContext context, ApplyOperation apply) {
		this.context = context;
		this.apply = apply;
	}

	public RunResult update(UpdateTarget target) {
		if (target.isAll()) {
			return this.apply.apply();
		}
		Instant started = Instant.now();
		this.context.events().started(MigrationMode.APPLY);
		try {
			Prepared prepared = this.context.prepare();
			Mismatches.requireNoDrift(prepared.report().status());
			if (target.toTag() != null) {
				CommandSupport.requireTagDeclared(prepared.changeLog(), target.toTag(), TAG_ACTION);
			}
			LockedResult<Integer> applied = this.context.lockedRun()
				.locked(prepared, (session) -> this.apply.applyLocked(session, started, target));
			return this.context.events()
				.ended(MigrationMode.APPLY, started, applied.value(), RunOutcome.SUCCESS, null, applied.waited());
		}
		catch (MigrationException ex) {
			this.context.events().ended(MigrationMode.APPLY, started, 0, RunOutcome.FAILED, ex.getMessage(),
					Duration.ZERO);
			throw ex;
		}
	}

	/**
	 * The changesets an update would apply, in order, checked as the update checks them (edited changesets, tags,
	 * tables that already exist). Nothing runs and no lock is taken.
	 */
	public List<PlannedChangeSet> plan(UpdateTarget target) {
		Prepared prepared = this.context.prepare();
		Mismatches.requireNoDrift(prepared.report().status());
		if (target.toTag() != null) {
			CommandSupport.requireTagDeclared(prepared.changeLog(), target.toTag(), TAG_ACTION);
		}
		List<ChangeSet> plan = UpdatePlan.of(target, prepared.report(), prepared.changeLog());
		if (!plan.isEmpty()) {
			this.context.withRunSession((database) -> {
				SchemaCollisions.check(CommandSupport.connection(database), database, prepared.changeLog(),
						prepared.report());
				return null;
			});
		}
		return plan.stream().map(PlannedChangeSet::of).toList();
	}

}
