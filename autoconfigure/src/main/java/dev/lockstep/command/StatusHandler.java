package dev.lockstep.command;

import java.io.PrintStream;
import java.util.List;

import dev.lockstep.core.api.AppliedChangeSet;
import dev.lockstep.core.api.ChecksumMismatch;
import dev.lockstep.core.api.DatabaseInfo;
import dev.lockstep.core.api.HistoryReport;
import dev.lockstep.core.MigrationCommands;
import dev.lockstep.core.api.MigrationMode;
import dev.lockstep.core.api.MigrationStatus;
import dev.lockstep.core.api.PendingChangeSet;
import dev.lockstep.core.StatusSnapshot;
import dev.lockstep.endpoint.MigrationsDescriptor;

/**
 * {@code status} and {@code check}: where the schema stands. With {@code --format=json}, the document
 * {@code GET /actuator/migrations} serves ({@link MigrationsDescriptor}). {@code check} is the CI gate: exit 1
 * unless up to date.
 */
final class StatusHandler implements CommandHandler {

	private final MigrationCommands commands;

	private final String changeLog;

	private final MigrationMode mode;

	private final PrintStream out;

	private final boolean gate;

	StatusHandler(MigrationCommands commands, String changeLog, MigrationMode mode, PrintStream out, boolean gate) {
		this.commands = commands;
		this.changeLog = changeLog;
		this.mode = mode;
		this.out = out;
		this.gate = gate;
	}

	@Override
	public int run(CommandLine line) {
		HistoryReport report = this.commands.inspect();
		MigrationStatus status = report.status();
		boolean upToDate = status.isUpToDate();
		if (line.json()) {
			StatusSnapshot snapshot = new StatusSnapshot(status, report.history(), report.lastRecordedRun(),
					this.mode, null, status.checkedAt());
			this.out.println(Json.write(MigrationsDescriptor.of(snapshot, this.changeLog)));
		}
		else {
			print(status);
			if (this.gate) {
				this.out.println();
				this.out.println(upToDate ? "OK: the schema matches the changelog."
						: "NOT UP TO DATE (" + status.state() + "): run 'migrations update' before this version "
								+ "starts in validate mode.");
			}
		}
		return (this.gate && !upToDate) ? CommandExecutor.NOT_UP_TO_DATE : CommandExecutor.OK;
	}

	private void print(MigrationStatus status) {
		DatabaseInfo database = status.database();
		this.out.println("Database    " + database.product() + " " + database.version() + "  " + database.url()
				+ ((database.schema() != null) ? "  (schema " + database.schema() + ")" : ""));
		this.out.println("Changelog   " + MigrationsDescriptor.displayChangeLog(this.changeLog));
		this.out.println("State       " + status.state());
		AppliedChangeSet current = status.current();
		this.out.println("Current     " + ((current != null) ? current.id() + "::" + current.author() + "  ("
				+ current.changeLog() + ")  applied " + current.appliedAt() : "none: empty history"));
		this.out.println("Tag         " + ((status.currentTag() != null) ? status.currentTag() : "none"));
		this.out.println("Applied     " + status.appliedCount());
		this.out.println("Lock        " + ((status.lockHolder() != null) ? "held by " + status.lockHolder().describe()
				: "free"));
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
