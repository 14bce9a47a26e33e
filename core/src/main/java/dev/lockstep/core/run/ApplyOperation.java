package dev.lockstep.core.run;

import java.time.Duration;
import java.time.Instant;
import java.util.List;

import liquibase.UpdateSummaryEnum;
import liquibase.changelog.ChangeSet;
import liquibase.UpdateSummaryOutputEnum;
import liquibase.command.CommandScope;
import liquibase.command.core.TagCommandStep;
import liquibase.command.core.helpers.ChangeExecListenerCommandStep;
import liquibase.command.core.helpers.DbUrlConnectionArgumentsCommandStep;
import liquibase.command.core.helpers.ShowSummaryArgument;
import liquibase.database.Database;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import dev.lockstep.core.api.AppliedChangeSet;
import dev.lockstep.core.api.HistoryReport;
import dev.lockstep.core.api.MigrationMode;
import dev.lockstep.core.api.RunOutcome;
import dev.lockstep.core.api.RunResult;
import dev.lockstep.core.api.UpdateTarget;
import dev.lockstep.core.changelog.LiquibaseCommands;
import dev.lockstep.core.changelog.LiquibaseScope;
import dev.lockstep.core.changelog.LoadedChangeLog;
import dev.lockstep.core.fingerprint.HistoryRows;
import dev.lockstep.core.problem.MigrationException;
import dev.lockstep.core.run.LockedRun.LockedResult;
import dev.lockstep.core.run.LockedRun.LockedSession;
import dev.lockstep.core.status.Mismatches;

/**
 * Applies pending changesets under the lock (all, the next {@code count}, or up to a tag), then tags the database
 * if a tag is configured. An up-to-date database is recognised without taking any lock; a follower waiting for the
 * lock stops waiting once the leader applied what it found pending.
 */
public final class ApplyOperation {

	private static final Logger logger = LoggerFactory.getLogger("dev.lockstep.Migrations");

	private final RunContext context;

	private final FastPath fastPath;

	public ApplyOperation(RunContext context, FastPath fastPath) {
		this.context = context;
		this.fastPath = fastPath;
	}

	/**
	 * Applies every pending changeset under the lock, then tags the database if a tag is configured.
	 */
	public RunResult apply() {
		RunEvents events = this.context.events();
		Instant started = Instant.now();
		events.started(MigrationMode.APPLY);
		Duration waited = Duration.ZERO;
		try {
			HistoryReport verifiedUpToDate = this.fastPath.verifiedReport(false);
			if (verifiedUpToDate != null) {
				Mismatches.logUpToDate(verifiedUpToDate.status());
				return events.ended(MigrationMode.APPLY, started, 0, RunOutcome.SUCCESS, null, waited);
			}
			Prepared prepared = this.context.prepare();
			Mismatches.requireNoDrift(prepared.report().status());
			if (!prepared.report().needsUpdate()) {
				this.fastPath.rememberVerified(prepared.report());
				Mismatches.logUpToDate(prepared.report().status());
				return events.ended(MigrationMode.APPLY, started, 0, RunOutcome.SUCCESS, null, waited);
			}
			AppliedElsewhere doneElsewhere = AppliedElsewhere.of(this.context, prepared.report());
			LockedResult<Integer> applied;
			try {
				applied = this.context.lockedRun()
					.locked(prepared, (session) -> applyLocked(session, started, UpdateTarget.ALL), doneElsewhere);
			}
			finally {
				if (doneElsewhere != null) {
					doneElsewhere.close();
				}
			}
			waited = applied.waited();
			return events.ended(MigrationMode.APPLY, started, (applied.value() != null) ? applied.value() : 0,
					RunOutcome.SUCCESS, null, waited);
		}
		catch (MigrationException ex) {
			events.ended(MigrationMode.APPLY, started, 0, RunOutcome.FAILED, ex.getMessage(), waited);
			throw ex;
		}
	}

	/**
	 * Applies what is still pending (another instance may have applied it while this one waited) up to the
	 * target, and records the run for other instances to see.
	 */
	public int applyLocked(LockedSession session, Instant started, UpdateTarget target) {
		Database database = session.database();
		Prepared prepared = session.prepared();
		HistoryReport report = historyUnchanged(session) ? prepared.report()
				: this.context.reader().read(database, prepared.changeLog(),
						(c) -> prepared.lock().holder(c).orElse(null));
		// Before "nothing to apply": what another instance applied meanwhile may differ from this changelog.
		Mismatches.requireNoDrift(report.status());
		InterruptedChangeSets.warn(session.connection(), this.context.inFlight(), report);
		if (!report.needsUpdate()) {
			logger.info("Nothing to apply: another instance applied the pending changesets while this one waited");
			Mismatches.logUpToDate(report.status());
			return 0;
		}
		SchemaCollisions.check(session.connection(), database, prepared.changeLog(), report);
		LintGate.check(this.context, database, UpdatePlan.of(target, report, prepared.changeLog()));
		long start = System.nanoTime();
		List<ChangeSet> plan = UpdatePlan.of(target, report, prepared.changeLog());
		ProgressLog progress = new ProgressLog(plan.size());
		try {
			update(database, prepared, progress, target, plan);
		}
		catch (Exception ex) {
			MigrationException failure = this.context.translate(ex, progress, database);
			this.context.recordRun(session.connection(), new RunResult(MigrationMode.APPLY, started, Instant.now(),
					progress.applied(), RunOutcome.FAILED, failure.getMessage(), session.waited()));
			throw failure;
		}
		int applied = progress.applied();
		this.context.recordRun(session.connection(), new RunResult(MigrationMode.APPLY, started, Instant.now(),
				applied, RunOutcome.SUCCESS, null, session.waited()));
		HistoryReport after = this.context.reader().read(database, prepared.changeLog(), (c) -> null);
		this.fastPath.rememberIfVerified(session.connection(), after, true);
		String skipped = (progress.failedAndSkipped() > 0) ? " (" + progress.failedAndSkipped()
				+ " more failed with failOnError=false and stay pending)" : "";
		logger.info("Applied {} changeset(s){} in {} ms; schema now at {}", applied, skipped,
				Duration.ofNanos(System.nanoTime() - start).toMillis(), Mismatches.describePosition(after.status()));
		return applied;
	}

	/**
	 * Whether the history is still exactly the one the status before the lock was read from, so that status holds
	 * (one query instead of a second full read): no instance ran anything while this one took the lock.
	 */
	private boolean historyUnchanged(LockedSession session) {
		List<AppliedChangeSet> before = session.prepared().report().history();
		if (before.isEmpty()) {
			return !HistoryRows.tableExists(session.connection(), session.database());
		}
		HistoryRows now = HistoryRows.read(session.connection(), this.context.history());
		return now != null && now.sameChangeSets(before);
	}

	private void update(Database database, Prepared prepared, ProgressLog progress, UpdateTarget target,
			List<ChangeSet> plan) throws Exception {
		LoadedChangeLog changeLog = prepared.changeLog();
		String tagToSet = this.context.settings().tag();
		LiquibaseScope.call(this.context.resources(), database,
				this.context.lockedRun().liquibaseScope(prepared.lock()), () -> {
					// A changeset that timed out waiting for a lock is retried: the update runs again from it.
					new LockTimeoutRetries(this.context).run(database, plan, progress, target, (remaining) -> {
						CommandScope update = LiquibaseCommands.create(UpdatePlan.commandName(remaining), database,
								changeLog);
						UpdatePlan.addArguments(remaining, update);
						update.addArgumentValue(ShowSummaryArgument.SHOW_SUMMARY, UpdateSummaryEnum.OFF);
						update.addArgumentValue(ShowSummaryArgument.SHOW_SUMMARY_OUTPUT, UpdateSummaryOutputEnum.LOG);
						try (AtomicChangeSets atomic = this.context.atomicChangeSets(database, progress)) {
							update.addArgumentValue(ChangeExecListenerCommandStep.CHANGE_EXEC_LISTENER_ARG, atomic);
							update.execute();
							atomic.completed();
						}
					});
					if (tagToSet != null && target.isAll()) {
						CommandScope tag = new CommandScope(TagCommandStep.COMMAND_NAME);
						tag.addArgumentValue(DbUrlConnectionArgumentsCommandStep.DATABASE_ARG, database);
						tag.addArgumentValue(TagCommandStep.TAG_ARG, tagToSet);
						tag.execute();
					}
					return null;
				});
	}

}
