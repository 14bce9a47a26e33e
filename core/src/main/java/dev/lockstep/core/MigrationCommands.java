package dev.lockstep.core;

import java.nio.file.Path;
import java.util.List;

import org.jspecify.annotations.Nullable;

import dev.lockstep.core.api.AppliedChangeSet;
import dev.lockstep.core.api.DriftReport;
import dev.lockstep.core.api.HistoryReport;
import dev.lockstep.core.api.PendingSql;
import dev.lockstep.core.api.PlannedChangeSet;
import dev.lockstep.core.api.RollbackPlan;
import dev.lockstep.core.api.RollbackTarget;
import dev.lockstep.core.api.RunResult;
import dev.lockstep.core.api.UpdateTarget;
import dev.lockstep.core.drift.DriftChangelogWriter;
import dev.lockstep.core.drift.SchemaRecordStore.RecordSummary;
import dev.lockstep.core.command.BaselineCommand;
import dev.lockstep.core.command.DiffCommand;
import dev.lockstep.core.command.SchemaDiff;
import dev.lockstep.core.command.GenerateChangelogCommand;
import dev.lockstep.core.command.HistoryCommand;
import dev.lockstep.core.command.RollbackCommand;
import dev.lockstep.core.command.RollbackSqlCommand;
import dev.lockstep.core.command.TagCommand;
import dev.lockstep.core.command.UpdateCommand;
import dev.lockstep.core.command.UpdateSqlCommand;
import dev.lockstep.core.run.RunContext;

/**
 * The operations behind {@code java -jar app.jar migrations <command>}, beyond the startup run. Changing
 * operations take the same crash-safe lock as the startup run; rollbacks are checked in full before anything runs.
 * <p>
 * A facade: each verb is a class of its own in {@code dev.lockstep.core.command}.
 */
public final class MigrationCommands {

	private final MigrationEngine engine;

	private final UpdateCommand update;

	private final UpdateSqlCommand updateSql;

	private final RollbackCommand rollback;

	private final RollbackSqlCommand rollbackSql;

	private final TagCommand tag;

	private final BaselineCommand baseline;

	private final HistoryCommand history;

	private final GenerateChangelogCommand generateChangelog;

	private final DiffCommand diff;

	public MigrationCommands(MigrationEngine engine) {
		RunContext context = engine.context();
		this.engine = engine;
		this.update = new UpdateCommand(context, engine.applyOperation());
		this.updateSql = new UpdateSqlCommand(engine::lint, engine::displayUrl);
		this.rollback = new RollbackCommand(context);
		this.rollbackSql = new RollbackSqlCommand(context, this.rollback);
		this.tag = new TagCommand(context);
		this.baseline = new BaselineCommand(context);
		this.history = new HistoryCommand(engine::inspect);
		this.generateChangelog = new GenerateChangelogCommand(context);
		this.diff = new DiffCommand(context);
	}

	public HistoryReport inspect() {
		return this.engine.inspect();
	}

	/**
	 * Compares the live schema with what the migrations made, without the lock (see
	 * {@link MigrationEngine#checkDrift()}).
	 */
	public DriftReport checkDrift() {
		return this.engine.checkDrift();
	}

	/** Applied changesets, newest first. */
	public List<AppliedChangeSet> history() {
		return leased(this.history::history);
	}

	/**
	 * Applies pending changesets (all, the next {@code count}, or up to a tag) under the lock.
	 */
	public RunResult update(UpdateTarget target) {
		return leased(() -> this.update.update(target));
	}

	/**
	 * The changesets an update would apply, in order, checked as the update checks them (edited changesets, tags,
	 * tables that already exist). Nothing runs and no lock is taken.
	 */
	public List<PlannedChangeSet> planUpdate(UpdateTarget target) {
		return leased(() -> this.update.plan(target));
	}

	/**
	 * The pending changesets with their SQL and what the lint finds in it, graded by the live tables. Nothing runs
	 * and no lock is taken.
	 */
	public List<PendingSql> lint() {
		return this.engine.lint();
	}

	/** The SQL of the pending changesets, as a script for review. Nothing runs and no lock is taken. */
	public String updateSql() {
		return leased(this.updateSql::script);
	}

	/**
	 * Works out what a rollback would undo and refuses, naming the reason, when it cannot be done in full.
	 */
	public RollbackPlan planRollback(RollbackTarget target) {
		return leased(() -> this.rollback.plan(target));
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
		return leased(() -> this.rollback.rollback(target, shown));
	}

	/** The SQL a rollback would run, exactly as Liquibase would run it. Nothing runs. */
	public String rollbackSql(RollbackTarget target) {
		return leased(() -> this.rollbackSql.script(target));
	}

	/** Tags the current state under the lock. */
	public void tag(String name) {
		leased(() -> {
			this.tag.tag(name);
			return null;
		});
	}

	/**
	 * The changesets a baseline would record as applied, in order; refused (naming why) when the history is not
	 * empty or a changeset in range creates a table that does not exist, unless {@code force}. Nothing is written.
	 */
	public List<PlannedChangeSet> planBaseline(@Nullable String toTag, boolean force) {
		return leased(() -> this.baseline.plan(toTag, force));
	}

	/**
	 * Records pending changesets as applied without running them (all, or up to a tag): adopting a database that
	 * other means already built. Guarded as {@link #planBaseline} says; the rows it writes are EXECTYPE MARK_RAN
	 * with COMMENTS starting {@value AppliedChangeSet#BASELINE_MARK}.
	 * @param shown the plan shown to the operator, or {@code null}: refused if the plan changed meanwhile
	 * @return how many changesets were marked
	 */
	public int baseline(@Nullable String toTag, boolean force, @Nullable List<PlannedChangeSet> shown) {
		return leased(() -> this.baseline.baseline(toTag, force, shown));
	}

	/** Writes a changelog of the existing schema (YAML, XML or SQL, by the file's extension). */
	public Path generateChangelog(Path output) {
		return this.generateChangelog.generate(output);
	}

	/**
	 * The live schema compared with the record of what the migrations made (as the drift check compares it), with
	 * both descriptions; no lock is taken.
	 */
	public SchemaDiff diff() {
		return this.diff.againstRecord();
	}

	/**
	 * The live schema compared with the schema the changelog makes, built in a scratch database on the same server
	 * from exactly the changesets the live history records (and dropped again); nothing in the live database
	 * changes and no lock is taken.
	 */
	public SchemaDiff diffAgainstChangelog() {
		return this.diff.againstChangelog();
	}

	/**
	 * Records what a comparison shown to the operator says the migrations made, under the lock: the schema built
	 * from the changelog, or (against the record) the live schema, accepting the drift shown.
	 */
	public RecordSummary recordDiff(SchemaDiff shown) {
		return this.diff.record(shown);
	}

	/** Refuses an output file that already exists. */
	public void requireNewDiffOutput(Path output) {
		this.diff.requireNewFile(output);
	}

	/** Writes the drift of a comparison as a Liquibase formatted-SQL changelog that adopts it. */
	public DriftChangelogWriter.Written writeDiffChangelog(SchemaDiff diff, Path output) {
		return this.diff.writeChangelog(diff, output);
	}

	/** Runs a verb holding a parse of the changelog for its whole duration (see {@code RunContext#withChangeLog}). */
	private <T> T leased(java.util.function.Supplier<T> verb) {
		return this.engine.context().withChangeLog(verb);
	}

}
