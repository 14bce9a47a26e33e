package dev.lockstep.core;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.stream.Collectors;

import liquibase.change.Change;
import liquibase.changelog.ChangeSet;
import liquibase.changelog.DatabaseChangeLog;
import liquibase.command.CommandScope;
import liquibase.command.core.ChangelogSyncCommandStep;
import liquibase.command.core.ChangelogSyncToTagCommandStep;
import liquibase.command.core.GenerateChangelogCommandStep;
import liquibase.command.core.RollbackCommandStep;
import liquibase.command.core.RollbackCountCommandStep;
import liquibase.command.core.RollbackCountSqlCommandStep;
import liquibase.command.core.RollbackSqlCommandStep;
import liquibase.command.core.TagCommandStep;
import liquibase.command.core.helpers.DbUrlConnectionArgumentsCommandStep;
import liquibase.command.core.helpers.DiffOutputControlCommandStep;
import liquibase.command.core.helpers.PreCompareCommandStep;
import liquibase.database.Database;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import dev.lockstep.core.api.AppliedChangeSet;
import dev.lockstep.core.api.ChangeSetRef;
import dev.lockstep.core.api.HistoryReport;
import dev.lockstep.core.api.MigrationMode;
import dev.lockstep.core.api.PendingChangeSet;
import dev.lockstep.core.api.PendingSql;
import dev.lockstep.core.api.PlannedChangeSet;
import dev.lockstep.core.api.RollbackPlan;
import dev.lockstep.core.api.RollbackTarget;
import dev.lockstep.core.api.RunOutcome;
import dev.lockstep.core.api.RunResult;
import dev.lockstep.core.api.UpdateTarget;
import dev.lockstep.core.changelog.LiquibaseCommands;
import dev.lockstep.core.changelog.LiquibaseScope;
import dev.lockstep.core.changelog.LoadedChangeLog;
import dev.lockstep.core.command.BaselineGuard;
import dev.lockstep.core.command.BaselineMark;
import dev.lockstep.core.fingerprint.VerifiedState;
import dev.lockstep.core.problem.MigrationException;
import dev.lockstep.core.run.AtomicChangeSets;
import dev.lockstep.core.run.InFlightChangeSets;
import dev.lockstep.core.run.InterruptedChangeSets;
import dev.lockstep.core.run.LockedRun.LockedResult;
import dev.lockstep.core.run.Prepared;
import dev.lockstep.core.run.ProgressLog;
import dev.lockstep.core.run.RunContext;
import dev.lockstep.core.run.SchemaCollisions;
import dev.lockstep.core.run.UpdatePlan;
import dev.lockstep.core.status.LastRunStore;
import dev.lockstep.core.status.Mismatches;

/**
 * The operations behind {@code java -jar app.jar migrations <command>}, beyond the startup run. Changing
 * operations take the same crash-safe lock as the startup run; rollbacks are checked in full before anything runs.
 */
public final class MigrationCommands {

	private static final Logger logger = LoggerFactory.getLogger("dev.lockstep.Migrations");

	private static final java.util.regex.Pattern AGAINST = java.util.regex.Pattern.compile("(?m)^-- Against: .*$");

	private final MigrationEngine engine;

	private final RunContext context;

	public MigrationCommands(MigrationEngine engine) {
		this.engine = engine;
		this.context = engine.context();
	}

	public HistoryReport inspect() {
		return this.engine.inspect();
	}

	/** Applied changesets, newest first. */
	public List<AppliedChangeSet> history() {
		List<AppliedChangeSet> history = new ArrayList<>(this.engine.inspect().history());
		Collections.reverse(history);
		return history;
	}

	/**
	 * Applies pending changesets (all, the next {@code count}, or up to a tag) under the lock.
	 */
	public RunResult update(UpdateTarget target) {
		if (target.isAll()) {
			return this.engine.apply();
		}
		Instant started = Instant.now();
		this.context.events().started(MigrationMode.APPLY);
		try {
			Prepared prepared = this.context.prepare();
			Mismatches.requireNoDrift(prepared.report().status());
			if (target.toTag() != null) {
				requireTagDeclared(prepared.changeLog(), target.toTag(),
						"Use a tag the changelog declares (a tagDatabase change), or --count.");
			}
			LockedResult<Integer> applied = this.context.lockedRun().locked(prepared,
					(session) -> this.engine.applyOperation().applyLocked(session, started, target));
			return this.context.events().ended(MigrationMode.APPLY, started, applied.value(), RunOutcome.SUCCESS, null,
					applied.waited());
		}
		catch (MigrationException ex) {
			this.context.events().ended(MigrationMode.APPLY, started, 0, RunOutcome.FAILED, ex.getMessage(),
					java.time.Duration.ZERO);
			throw ex;
		}
	}

	/**
	 * The changesets an update would apply, in order, checked as the update checks them (edited changesets, tags,
	 * tables that already exist). Nothing runs and no lock is taken.
	 */
	public List<PlannedChangeSet> planUpdate(UpdateTarget target) {
		Prepared prepared = this.context.prepare();
		Mismatches.requireNoDrift(prepared.report().status());
		if (target.toTag() != null) {
			requireTagDeclared(prepared.changeLog(), target.toTag(),
					"Use a tag the changelog declares (a tagDatabase change), or --count.");
		}
		List<ChangeSet> plan = UpdatePlan.of(target, prepared.report(), prepared.changeLog());
		if (!plan.isEmpty()) {
			this.context.withRunSession((database) -> {
				SchemaCollisions.check(connection(database), database, prepared.changeLog(), prepared.report());
				return null;
			});
		}
		return plan.stream().map(PlannedChangeSet::of).toList();
	}

	/** The SQL of the pending changesets, as a script for review. Nothing runs and no lock is taken. */
	public String updateSql() {
		List<PendingSql> pending = this.engine.pendingSql();
		StringBuilder script = new StringBuilder();
		script.append("-- Lockstep: SQL of ").append(pending.size()).append(" pending changeset(s) for ")
			.append(this.engine.displayUrl()).append('\n');
		script.append("-- Liquibase also records each changeset in DATABASECHANGELOG when it applies it.\n");
		for (PendingSql changeSet : pending) {
			PendingChangeSet ref = changeSet.changeSet();
			script.append("\n-- Changeset ").append(ref.changeLog()).append("::").append(ref.id()).append("::")
				.append(ref.author());
			if (!changeSet.runInTransaction()) {
				script.append(" (runInTransaction: false)");
			}
			script.append('\n');
			for (String statement : changeSet.sql()) {
				script.append(statement);
				if (!statement.startsWith("--")) {
					script.append(';');
				}
				script.append('\n');
			}
		}
		return script.toString();
	}

	/**
	 * Works out what a rollback would undo and refuses, naming the reason, when it cannot be done in full.
	 */
	public RollbackPlan planRollback(RollbackTarget target) {
		Prepared prepared = this.context.prepare();
		return plan(prepared, target, null);
	}

	/** Undoes changesets under the lock, after checking the whole range can be undone. */
	public RollbackPlan rollback(RollbackTarget target) {
		return rollback(target, null);
	}

	/**
	 * Undoes changesets under the lock, after checking the whole range can be undone and, when given, that it is
	 * still exactly the plan shown to the operator.
	 */
	public RollbackPlan rollback(RollbackTarget target, RollbackPlan shown) {
		Prepared prepared = this.context.prepare();
		plan(prepared, target, null);
		return this.context.lockedRun().locked(prepared, (session) -> {
			RollbackPlan plan = plan(prepared, target, session.database());
			InterruptedChangeSets.warn(session.connection(), this.context.inFlight(),
					this.context.reader().read(session.database(), prepared.changeLog(), (c) -> null));
			if (shown != null) {
				requireSamePlan(shown.changeSets().stream().map(PlannedChangeSet::of).toList(),
						plan.changeSets().stream().map(PlannedChangeSet::of).toList());
			}
			if (plan.changeSets().isEmpty()) {
				return plan;
			}
			ProgressLog progress = new ProgressLog(plan.changeSets().size());
			try {
				LiquibaseScope.call(this.context.resources(), session.database(),
						this.context.lockedRun().liquibaseScope(prepared.lock()), () -> {
							CommandScope command = rollbackCommand(target, plan, false, session.database(), prepared);
							try (AtomicChangeSets atomic = this.context.atomicChangeSets(session.database(), progress)) {
								command.addArgumentValue(
										liquibase.command.core.helpers.ChangeExecListenerCommandStep.CHANGE_EXEC_LISTENER_ARG,
										atomic);
								command.execute();
								atomic.completed();
							}
							return null;
						});
			}
			catch (Exception ex) {
				throw this.context.translate(ex, progress, session.database());
			}
			logger.info("Rolled back {} changeset(s) ({})", plan.changeSets().size(), target);
			return plan;
		}).value();
	}

	/** The SQL a rollback would run, exactly as Liquibase would run it. Nothing runs. */
	public String rollbackSql(RollbackTarget target) {
		Prepared prepared = this.context.prepare();
		RollbackPlan plan = plan(prepared, target, null);
		return this.context.withRunSession((database) -> {
			ByteArrayOutputStream output = new ByteArrayOutputStream();
			LiquibaseScope.call(this.context.resources(), database, Map.of(), () -> {
				CommandScope command = rollbackCommand(target, plan, true, database, prepared);
				command.setOutput(output);
				command.execute();
				return null;
			});
			// Parameter values (possibly secrets) as ${name}, unless migrations.show-parameter-values; Liquibase's
			// "Against: user@url" header names the database as everywhere else, without user or query parameters.
			String script = AGAINST.matcher(output.toString(StandardCharsets.UTF_8))
				.replaceAll(java.util.regex.Matcher.quoteReplacement("-- Against: " + this.engine.displayUrl()));
			return this.context.parameterMasker(prepared.changeLog()).mask(script);
		});
	}

	/** Tags the current state under the lock. */
	public void tag(String name) {
		Objects.requireNonNull(name, "name");
		Prepared prepared = this.context.prepare();
		if (prepared.report().status().appliedCount() == 0) {
			throw new MigrationException("Cannot tag an empty history: nothing has been applied yet.",
					"Apply changesets first ('migrations update'), then tag.");
		}
		this.context.lockedRun().locked(prepared, (session) -> {
			run(session.database(), prepared, () -> {
				CommandScope tag = new CommandScope(TagCommandStep.COMMAND_NAME);
				tag.addArgumentValue(DbUrlConnectionArgumentsCommandStep.DATABASE_ARG, session.database());
				tag.addArgumentValue(TagCommandStep.TAG_ARG, name);
				tag.execute();
			});
			return null;
		});
		logger.info("Tagged the current state as {}", name);
	}

	/**
	 * The changesets a baseline would record as applied, in order; refused (naming why) when the history is not
	 * empty or a changeset in range creates a table that does not exist, unless {@code force}. Nothing is written.
	 */
	public List<PlannedChangeSet> planBaseline(String toTag, boolean force) {
		Prepared prepared = this.context.prepare();
		if (toTag != null) {
			// baseline has no --count: without --to-tag it records every changeset.
			requireTagDeclared(prepared.changeLog(), toTag, "Use a tag the changelog declares (a tagDatabase "
					+ "change), or leave out --to-tag to record every changeset.");
		}
		return this.context.withRunSession(
				(database) -> baselinePlan(connection(database), database, prepared.report(), prepared, toTag, force));
	}

	/**
	 * Records pending changesets as applied without running them (all, or up to a tag): adopting a database that
	 * other means already built. Guarded as {@link #planBaseline} says; the rows it writes are EXECTYPE MARK_RAN
	 * with COMMENTS starting {@value AppliedChangeSet#BASELINE_MARK}.
	 * @param shown the plan shown to the operator, or {@code null}: refused if the plan changed meanwhile
	 * @return how many changesets were marked
	 */
	public int baseline(String toTag, boolean force, List<PlannedChangeSet> shown) {
		Prepared prepared = this.context.prepare();
		if (toTag != null) {
			requireTagDeclared(prepared.changeLog(), toTag, "Use a tag the changelog declares (a tagDatabase "
					+ "change), or leave out --to-tag to record every changeset.");
		}
		return this.context.lockedRun().locked(prepared, (session) -> {
			// Checked again under the lock: another run may have changed the history meanwhile.
			HistoryReport before = this.context.reader().read(session.database(), prepared.changeLog(), (c) -> null);
			List<PlannedChangeSet> plan = baselinePlan(session.connection(), session.database(), before, prepared,
					toTag, force);
			if (shown != null) {
				requireSamePlan(shown, plan);
			}
			if (plan.isEmpty()) {
				return 0;
			}
			Map<String, Object> scope = this.context.lockedRun().liquibaseScope(prepared.lock());
			run(session.database(), scope, () -> {
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

	private List<PlannedChangeSet> baselinePlan(java.sql.Connection connection, Database database,
			HistoryReport report, Prepared prepared, String toTag, boolean force) {
		List<ChangeSet> plan = UpdatePlan.of(new UpdateTarget(null, toTag), report, prepared.changeLog());
		if (!force) {
			BaselineGuard.check(connection, database, report, plan);
		}
		return plan.stream().map(PlannedChangeSet::of).toList();
	}

	/** Refuses to go on when what is about to run is not what was shown. */
	private static void requireSamePlan(List<PlannedChangeSet> shown, List<PlannedChangeSet> now) {
		List<String> shownKeys = shown.stream().map((c) -> ChangeSetRef.key(c.changeLog(), c.id(), c.author())).toList();
		List<String> nowKeys = now.stream().map((c) -> ChangeSetRef.key(c.changeLog(), c.id(), c.author())).toList();
		if (!shownKeys.equals(nowKeys)) {
			throw new MigrationException("The history changed after the plan was made (another run?): the command "
					+ "would now act on " + now.size() + " changeset(s) instead of the " + shown.size()
					+ " listed. Nothing was changed.", "Run the command again and check its new plan.");
		}
	}

	private static java.sql.Connection connection(Database database) {
		return ((liquibase.database.jvm.JdbcConnection) database.getConnection()).getUnderlyingConnection();
	}

	/** Writes a changelog of the existing schema (YAML, XML or SQL, by the file's extension). */
	public Path generateChangelog(Path output) {
		if (Files.exists(output)) {
			throw new MigrationException(output + " already exists.", "Choose another --output file, or remove it.");
		}
		Prepared prepared = this.context.prepare();
		this.context.withRunSession((database) -> {
			LiquibaseScope.call(this.context.resources(), database, Map.of(), () -> {
				CommandScope generate = new CommandScope(GenerateChangelogCommandStep.COMMAND_NAME);
				generate.addArgumentValue(DbUrlConnectionArgumentsCommandStep.DATABASE_ARG, database);
				generate.addArgumentValue(GenerateChangelogCommandStep.CHANGELOG_FILE_ARG, output.toString());
				generate.addArgumentValue(GenerateChangelogCommandStep.AUTHOR_ARG, "lockstep-baseline");
				generate.addArgumentValue(PreCompareCommandStep.EXCLUDE_OBJECTS_ARG,
						"(?i)" + LastRunStore.TABLE + "|" + InFlightChangeSets.TABLE + "|" + VerifiedState.TABLE
								+ "|databasechangelog|databasechangeloglock");
				generate.addArgumentValue(DiffOutputControlCommandStep.INCLUDE_SCHEMA_ARG, false);
				generate.setOutput(new ByteArrayOutputStream());
				generate.execute();
				return null;
			});
			return null;
		});
		if (!Files.exists(output)) {
			// Liquibase writes no file at all when it finds nothing to describe.
			throw new MigrationException("The database " + this.engine.displayUrl() + " has no tables, views or "
					+ "other objects to describe (besides the migration history): nothing was written to " + output
					+ ".", "Point the command at the database the existing schema lives in (spring.datasource.url, "
							+ "migrations.url, migrations.default-schema).");
		}
		return output;
	}

	private RollbackPlan plan(Prepared prepared, RollbackTarget target, Database lockedDatabase) {
		HistoryReport report = (lockedDatabase != null)
				? this.context.reader().read(lockedDatabase, prepared.changeLog(), (c) -> null) : prepared.report();
		List<AppliedChangeSet> newestFirst = new ArrayList<>(report.history());
		Collections.reverse(newestFirst);
		List<AppliedChangeSet> range = new ArrayList<>();
		if (target.count() != null) {
			if (target.count() > newestFirst.size()) {
				throw new MigrationException("Cannot roll back " + target.count() + " changeset(s): only "
						+ newestFirst.size() + " are applied. Nothing was changed.",
						"Use --count=" + Math.max(newestFirst.size(), 1) + " or less, or --to-tag.");
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
						+ "changed.", tags.isEmpty() ? "The history has no tags: use --count or --to-date."
								: "Tags in the history, newest first: " + tags + ".");
			}
			range.addAll(newestFirst.subList(0, oldestFirst.size() - 1 - tagged));
			AppliedChangeSet tagRow = oldestFirst.get(tagged);
			if (isTagDatabaseRow(tagRow) && !keepsTagOnRollback(prepared, tagRow)) {
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
		requireUndoable(prepared, range, (lockedDatabase != null) ? lockedDatabase : null);
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
				+ "Nothing was changed.", "Use --count=N or --to-tag=T, after checking the plan with --dry-run.");
	}

	private static boolean isTagDatabaseRow(AppliedChangeSet applied) {
		return "tagDatabase".equals((applied.description() != null) ? applied.description().strip() : "");
	}

	private static boolean keepsTagOnRollback(Prepared prepared, AppliedChangeSet applied) {
		for (ChangeSet changeSet : prepared.changeLog().changeLog().getChangeSets()) {
			if (ChangeSetRef.key(changeSet.getFilePath(), changeSet.getId(), changeSet.getAuthor())
				.equals(ChangeSetRef.key(applied.changeLog(), applied.id(), applied.author()))) {
				return changeSet.getChanges()
					.stream()
					.anyMatch((change) -> change instanceof liquibase.change.core.TagDatabaseChange tag
							&& Boolean.TRUE.equals(tag.isKeepTagOnRollback()));
			}
		}
		return false;
	}

	private void requireUndoable(Prepared prepared, List<AppliedChangeSet> range, Database database) {
		Map<String, ChangeSet> declared = new HashMap<>();
		for (ChangeSet changeSet : prepared.changeLog().changeLog().getChangeSets()) {
			declared.put(ChangeSetRef.key(changeSet.getFilePath(), changeSet.getId(), changeSet.getAuthor()), changeSet);
		}
		List<String> problems = new ArrayList<>();
		for (AppliedChangeSet applied : range) {
			ChangeSet changeSet = declared.get(ChangeSetRef.key(applied.changeLog(), applied.id(), applied.author()));
			if (changeSet == null) {
				problems.add(applied.ref() + " is not in this changelog, so how to undo it is unknown");
				continue;
			}
			if (!changeSet.getRollback().getChanges().isEmpty()) {
				continue;
			}
			List<String> manual = new ArrayList<>();
			for (Change change : changeSet.getChanges()) {
				if (!supportsRollback(change, database)) {
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

	private boolean supportsRollback(Change change, Database database) {
		if (database != null) {
			return change.supportsRollback(database);
		}
		return this.context.withStatusDatabase((statusDatabase) -> change.supportsRollback(statusDatabase));
	}

	private CommandScope rollbackCommand(RollbackTarget target, RollbackPlan plan, boolean sql, Database database,
			Prepared prepared) throws Exception {
		CommandScope command;
		if (target.count() != null || target.toDate() != null) {
			// A date becomes the count of the newest rows applied after it (checked by plan()): Liquibase would
			// compare the stored times through this JVM's zone.
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

	private void run(Database database, Prepared prepared, LiquibaseWork work) {
		run(database, this.context.lockedRun().liquibaseScope(prepared.lock()), work);
	}

	private void run(Database database, Map<String, Object> scope, LiquibaseWork work) {
		try {
			LiquibaseScope.call(this.context.resources(), database, scope, () -> {
				work.run();
				return null;
			});
		}
		catch (MigrationException ex) {
			throw ex;
		}
		catch (Exception ex) {
			throw this.context.translate(ex, null, database);
		}
	}

	private static void requireTagDeclared(LoadedChangeLog changeLog, String tag, String action) {
		for (ChangeSet changeSet : changeLog.changeLog().getChangeSets()) {
			for (Change change : changeSet.getChanges()) {
				if (change instanceof liquibase.change.core.TagDatabaseChange tagChange
						&& tag.equals(tagChange.getTag())) {
					return;
				}
			}
		}
		throw new MigrationException("The changelog has no tagDatabase changeset with tag '" + tag
				+ "'. Nothing was changed.", action);
	}

	@FunctionalInterface
	private interface LiquibaseWork {

		void run() throws Exception;

	}

}
