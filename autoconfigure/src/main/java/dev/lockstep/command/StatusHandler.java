package dev.lockstep.command;

import java.io.PrintStream;
import java.time.Instant;
import java.util.List;

import org.jspecify.annotations.Nullable;

import dev.lockstep.core.api.AppliedChangeSet;
import dev.lockstep.core.api.ChecksumMismatch;
import dev.lockstep.core.api.DatabaseInfo;
import dev.lockstep.core.api.DriftObject;
import dev.lockstep.core.api.DriftReport;
import dev.lockstep.core.api.DriftState;
import dev.lockstep.core.api.HistoryReport;
import dev.lockstep.core.MigrationCommands;
import dev.lockstep.core.api.MigrationMode;
import dev.lockstep.core.api.MigrationStatus;
import dev.lockstep.core.api.PendingChangeSet;
import dev.lockstep.core.api.SchemaState;
import dev.lockstep.core.DriftStatus;
import dev.lockstep.core.StatusSnapshot;
import dev.lockstep.endpoint.MigrationsDescriptor;

/**
 * {@code status} and {@code check}: where the schema stands. With {@code --format=json}, the document
 * {@code GET /actuator/migrations} serves ({@link MigrationsDescriptor}). {@code check} is the CI gate: it also
 * compares the live schema with what the migrations made, and exits 1 unless up to date and without drift (a check
 * that cannot compare, e.g. without a record yet, says why and leaves the exit code alone).
 */
final class StatusHandler implements CommandHandler {

	private final MigrationCommands commands;

	private final String changeLog;

	private final MigrationMode mode;

	private final @Nullable String target;

	private final PrintStream out;

	private final boolean gate;

	private @Nullable String lintProblem;

	StatusHandler(MigrationCommands commands, String changeLog, MigrationMode mode, @Nullable String target,
			PrintStream out, boolean gate) {
		this.commands = commands;
		this.changeLog = changeLog;
		this.mode = mode;
		this.target = target;
		this.out = out;
		this.gate = gate;
	}

	@Override
	public int run(CommandLine line) {
		HistoryReport report = this.commands.inspect();
		MigrationStatus status = report.status();
		boolean upToDate = status.isUpToDate();
		// Only the gate compares the schema: status stays a history read.
		DriftReport drift = this.gate ? checkDrift() : null;
		boolean drifted = drift != null && drift.hasDrift();
		// The gate also lints what is pending: CI fails on error findings before they reach a busy database.
		LintReport lint = (this.gate && !status.pending().isEmpty()) ? lint() : null;
		boolean lintErrors = lint != null && lint.hasErrors();
		StatusSnapshot snapshot = new StatusSnapshot(status, report.history(), report.lastRecordedRun(), this.mode,
				null, status.checkedAt(), null, null, (drift != null) ? DriftStatus.next(null, drift) : null);
		if (line.json()) {
			this.out.println(Json.write(MigrationsDescriptor.of(snapshot, this.changeLog)));
		}
		else {
			print(status, snapshot.state());
			if (this.gate) {
				printDrift(drift);
				if (lint != null) {
					this.out.println();
					lint.print(this.out);
				}
				else if (this.lintProblem != null) {
					this.out.println();
					this.out.println(this.lintProblem);
				}
				this.out.println();
				this.out.println(verdict(status, upToDate, drift));
			}
		}
		return (this.gate && (!upToDate || drifted || lintErrors)) ? CommandExecutor.NOT_UP_TO_DATE
				: CommandExecutor.OK;
	}

	/** A lint that cannot run says why; the pending changesets already fail the gate. */
	private @Nullable LintReport lint() {
		try {
			return LintReport.of(this.commands.lint());
		}
		catch (RuntimeException ex) {
			this.lintProblem = "Lint: not run: " + OneLine.of(ex.getMessage());
			return null;
		}
	}

	/** A check that cannot compare says why; it does not fail the gate. */
	private DriftReport checkDrift() {
		try {
			return this.commands.checkDrift();
		}
		catch (RuntimeException ex) {
			return DriftReport.inconclusive(DriftState.UNAVAILABLE, Instant.now(), null,
					"Could not check drift: " + OneLine.of(ex.getMessage()));
		}
	}

	private void printDrift(DriftReport drift) {
		this.out.println();
		switch (drift.state()) {
			case CLEAN -> this.out.println("Drift: none (the live schema is what the migrations made"
					+ ((drift.ignored() > 0) ? ", " + drift.ignored() + " ignored object(s) aside" : "") + ")");
			case DRIFT -> {
				this.out.println("Drift: " + drift.objects().size()
						+ " object(s) differ from what the migrations made");
				TextTable table = new TextTable("TYPE", "NAME", "CHANGE", "EXPECTED", "ACTUAL");
				for (DriftObject object : drift.objects()) {
					table.row(object.type(), object.name(), object.change().value(), orDash(object.expected()),
							orDash(object.actual()));
				}
				this.out.print(table.render());
			}
			default -> this.out.println("Drift: not compared (" + drift.state() + "): " + drift.message());
		}
	}

	private static String verdict(MigrationStatus status, boolean upToDate, DriftReport drift) {
		if (!upToDate) {
			return "NOT UP TO DATE (" + status.state() + "): run 'migrations update' before this version "
					+ "starts in validate mode.";
		}
		if (drift.hasDrift()) {
			return "SCHEMA DRIFT: the live schema differs from what the migrations made; undo the hand changes, or "
					+ "adopt them in a changeset (migrations diff --output=FILE writes one).";
		}
		return "OK: the schema matches the changelog.";
	}

	private static String orDash(String value) {
		return (value != null) ? value : "-";
	}

	private void print(MigrationStatus status, SchemaState state) {
		DatabaseInfo database = status.database();
		if (this.target != null) {
			this.out.println("Target      " + this.target);
		}
		this.out.println("Database    " + database.product() + " " + database.version() + "  " + database.url()
				+ ((database.schema() != null) ? "  (schema " + database.schema() + ")" : ""));
		this.out.println("Changelog   " + MigrationsDescriptor.displayChangeLog(this.changeLog));
		this.out.println("State       " + state);
		AppliedChangeSet current = status.current();
		this.out.println("Current     " + ((current != null) ? current.id() + "::" + current.author() + "  ("
				+ current.changeLog() + ")  applied " + current.appliedAt() : "none: empty history"));
		this.out.println("Tag         " + ((status.currentTag() != null) ? status.currentTag() : "none"));
		this.out.println("Applied     " + status.appliedCount());
		this.out.println("Lock        " + ((status.lockHolder() != null) ? "held by " + status.lockHolder().describe()
				: "free"));
		if (!status.invalidIndexes().isEmpty()) {
			this.out.println("Invalid     " + status.invalidIndexes().size() + " INVALID index(es): "
					+ String.join(", ", status.invalidIndexes())
					+ " (a CREATE INDEX CONCURRENTLY failed; the next run of its changeset drops and rebuilds it)");
		}
		List<PendingChangeSet> pending = status.pending();
		this.out.println();
		this.out.println("Pending: " + pending.size());
		if (!pending.isEmpty()) {
			TextTable table = new TextTable("#", "ID", "AUTHOR", "FILE", "DESCRIPTION");
			int i = 1;
			for (PendingChangeSet changeSet : pending) {
				table.row(i++, changeSet.id(), changeSet.author(), changeSet.changeLog(), changeSet.description());
			}
			this.out.print(table.render());
		}
		if (!status.unexpected().isEmpty()) {
			this.out.println();
			this.out.println("Unexpected (applied, not in this changelog): " + status.unexpected().size());
			TextTable table = new TextTable("ID", "AUTHOR", "FILE", "APPLIED AT");
			status.unexpected()
				.forEach((changeSet) -> table.row(changeSet.id(), changeSet.author(), changeSet.changeLog(),
						changeSet.appliedAt()));
			this.out.print(table.render());
		}
		if (!status.checksumMismatches().isEmpty()) {
			this.out.println();
			this.out.println("Modified after they ran (checksum differs): " + status.checksumMismatches().size());
			TextTable table = new TextTable("ID", "AUTHOR", "FILE", "STORED", "NOW");
			for (ChecksumMismatch mismatch : status.checksumMismatches()) {
				table.row(mismatch.id(), mismatch.author(), mismatch.changeLog(), mismatch.storedChecksum(),
						mismatch.currentChecksum());
			}
			this.out.print(table.render());
		}
	}

}
