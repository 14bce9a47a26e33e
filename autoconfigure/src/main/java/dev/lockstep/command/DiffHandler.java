package dev.lockstep.command;

import java.io.PrintStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.jspecify.annotations.Nullable;

import dev.lockstep.core.MigrationCommands;
import dev.lockstep.core.api.DriftObject;
import dev.lockstep.core.api.DriftReport;
import dev.lockstep.core.api.DriftState;
import dev.lockstep.core.command.SchemaDiff;
import dev.lockstep.core.command.SchemaDiff.Against;
import dev.lockstep.core.drift.DriftChangelogWriter;
import dev.lockstep.core.drift.SchemaRecordStore.RecordSummary;
import dev.lockstep.core.problem.MigrationException;

/**
 * {@code diff [--against=changelog] [--record [--dry-run]] [--output=FILE] [--format=json]}: the live schema
 * compared with what the migrations made (the record, or the schema the changelog makes, built in a scratch
 * database). Exit 0 when nothing differs, 1 on drift (still there after the command), 3 with one line on stderr
 * when there is nothing to compare with (no record, a stale one, a run in progress, not PostgreSQL).
 */
final class DiffHandler implements CommandHandler {

	/** Definitions longer than this are shortened in the table; the JSON has them in full. */
	private static final int SHOWN_DEFINITION = 70;

	private final MigrationCommands commands;

	private final PrintStream out;

	DiffHandler(MigrationCommands commands, PrintStream out) {
		this.commands = commands;
		this.out = out;
	}

	@Override
	public int run(CommandLine line) {
		boolean changelog = againstChangelog(line);
		boolean record = line.flag("record");
		boolean dryRun = line.flag("dry-run");
		boolean json = line.json();
		if (dryRun && !record) {
			throw new UsageException("--dry-run goes with --record (nothing else is written).");
		}
		Path output = output(line);
		if (output != null) {
			this.commands.requireNewDiffOutput(output);
		}
		SchemaDiff diff = changelog ? this.commands.diffAgainstChangelog() : this.commands.diff();
		DriftReport report = diff.report();
		boolean acceptsLive = !changelog && record && diff.actual() != null
				&& (report.state() == DriftState.NO_RECORD || report.state() == DriftState.STALE_RECORD);
		if (json) {
			this.out.println(Json.write(json(report)));
		}
		if (!report.state().isConclusive() && !acceptsLive) {
			throw inconclusive(report);
		}
		if (!json && report.state().isConclusive()) {
			printReport(diff);
		}
		if (output != null) {
			writeChangelog(diff, output, json);
		}
		if (!record) {
			return report.hasDrift() ? CommandExecutor.NOT_UP_TO_DATE : CommandExecutor.OK;
		}
		return changelog ? recordChangelog(diff, dryRun, json) : acceptLive(diff, dryRun, json);
	}

	private static boolean againstChangelog(CommandLine line) {
		String against = line.option("against");
		if (against == null || against.equals("record")) {
			return false;
		}
		if (!against.equals("changelog")) {
			throw new UsageException("Unknown --against=" + against + ": use changelog (or leave it out to compare "
					+ "with the record of what the migrations made).");
		}
		return true;
	}

	private static @Nullable Path output(CommandLine line) {
		if (line.option("output") == null) {
			return null;
		}
		return Path.of(line.required("output"));
	}

	private void printReport(SchemaDiff diff) {
		DriftReport report = diff.report();
		String compared = (diff.actual() != null) ? diff.actual().objects().size() + " objects compared" : "";
		String source = (diff.against() == Against.CHANGELOG)
				? "built from the " + diff.appliedChangeSets() + " applied changeset(s) in a scratch database"
				: "recorded at " + report.recordedAt();
		String what = (diff.against() == Against.CHANGELOG) ? "what the changelog makes" : "what the migrations made";
		String ignored = (report.ignored() > 0) ? ", " + report.ignored() + " more ignored (migrations.drift.ignore)"
				: "";
		if (!report.hasDrift()) {
			this.out.println("No drift: the live schema is " + what + " (" + compared + ", " + source + ignored + ").");
			return;
		}
		this.out.println("Drift: " + report.objects().size() + " object(s) differ from " + what + " (" + compared + ", "
				+ source + ignored + "):");
		TextTable table = new TextTable("TYPE", "NAME", "CHANGE", "EXPECTED", "ACTUAL");
		for (DriftObject object : report.objects()) {
			table.row(object.type(), object.name(), object.change().value(), shown(object.expected()),
					shown(object.actual()));
		}
		this.out.print(table.render());
	}

	private static String shown(@Nullable String definition) {
		if (definition == null) {
			return "-";
		}
		String line = definition.strip().replaceAll("\\s+", " ");
		return (line.length() > SHOWN_DEFINITION) ? line.substring(0, SHOWN_DEFINITION - 3) + "..." : line;
	}

	private void writeChangelog(SchemaDiff diff, Path output, boolean json) {
		if (!diff.report().hasDrift()) {
			if (!json) {
				this.out.println("No drift: nothing was written to " + output + ".");
			}
			return;
		}
		DriftChangelogWriter.Written written = this.commands.writeDiffChangelog(diff, output);
		if (json) {
			return;
		}
		this.out.println("Wrote " + written.changeSets() + " changeset(s) that make the same changes as the drift to "
				+ output.toAbsolutePath() + ". Review it, add it to your changelog and run 'migrations update': "
				+ "on this database it changes nothing and the drift is adopted.");
		for (String note : written.notExpressed()) {
			this.out.println("  Not expressed (named at the top of the file): " + note);
		}
	}

	/** {@code --against=changelog --record}: the schema the changelog makes becomes the record. */
	private int recordChangelog(SchemaDiff diff, boolean dryRun, boolean json) {
		int objects = diff.expected().objects().size();
		int exit = diff.report().hasDrift() ? CommandExecutor.NOT_UP_TO_DATE : CommandExecutor.OK;
		if (!json) {
			this.out.println("Plan: record the schema the changelog makes (" + objects + " objects) as what the "
					+ "migrations made" + (diff.report().hasDrift() ? "; the drift above stays visible to drift checks"
							: "") + ".");
		}
		if (dryRun) {
			if (!json) {
				this.out.println("Dry run: nothing was recorded.");
			}
			return exit;
		}
		RecordSummary summary = this.commands.recordDiff(diff);
		if (!json) {
			this.out.println("Recorded " + summary.objects() + " objects as what the migrations made at "
					+ summary.recordedAt() + ".");
		}
		return exit;
	}

	/** {@code --record} against the record: the live schema, drift and all, becomes the record. */
	private int acceptLive(SchemaDiff diff, boolean dryRun, boolean json) {
		DriftReport report = diff.report();
		if (report.state() == DriftState.CLEAN) {
			if (!json) {
				this.out.println("Nothing to record: the record already is the live schema.");
			}
			return CommandExecutor.OK;
		}
		int objects = diff.actual().objects().size();
		if (!json) {
			this.out.println((report.state() == DriftState.DRIFT)
					? "Plan: accept the " + report.objects().size() + " object(s) above as what the migrations made "
							+ "(the live schema, " + objects + " objects, becomes the record)."
					: "Plan: record the live schema (" + objects + " objects) as what the migrations made, as it is "
							+ "(" + ((report.state() == DriftState.NO_RECORD) ? "there is no record yet"
									: "the record is stale") + "; to compare with the changelog first, use "
							+ "--against=changelog).");
		}
		if (dryRun) {
			if (!json) {
				this.out.println("Dry run: nothing was recorded.");
			}
			if (!report.state().isConclusive()) {
				throw inconclusive(report);
			}
			return CommandExecutor.NOT_UP_TO_DATE;
		}
		RecordSummary summary = this.commands.recordDiff(diff);
		if (!json) {
			this.out.println("Recorded the live schema (" + summary.objects() + " objects) as what the migrations "
					+ "made at " + summary.recordedAt() + ".");
		}
		return CommandExecutor.OK;
	}

	/**
	 * The JSON of {@code GET /actuator/migrations/drift}: {@code state}, {@code checkedAt}, {@code recordedAt},
	 * {@code ignored}, {@code objects} ({@code type}, {@code name}, {@code change}, {@code expected}, {@code actual})
	 * and {@code message}.
	 */
	static Map<String, Object> json(DriftReport report) {
		Map<String, Object> json = new LinkedHashMap<>();
		json.put("state", report.state().name());
		json.put("checkedAt", report.checkedAt());
		json.put("recordedAt", report.recordedAt());
		json.put("ignored", report.ignored());
		List<Map<String, Object>> objects = new ArrayList<>();
		for (DriftObject object : report.objects()) {
			Map<String, Object> entry = new LinkedHashMap<>();
			entry.put("type", object.type());
			entry.put("name", object.name());
			entry.put("change", object.change().value());
			entry.put("expected", object.expected());
			entry.put("actual", object.actual());
			objects.add(entry);
		}
		json.put("objects", objects);
		if (report.message() != null) {
			// As in the endpoint's drift document: what is not known is left out, never null.
			json.put("message", report.message());
		}
		return json;
	}

	/** Nothing to compare with: what is missing and what to do, phrased for the command line. */
	private static MigrationException inconclusive(DriftReport report) {
		return switch (report.state()) {
			case NO_RECORD -> new MigrationException("There is no record of what the migrations made to compare "
					+ "with (no Lockstep run has changed the schema since the database was migrated by other means "
					+ "or adopted with baseline).", "Compare with the changelog: 'migrations diff --against=changelog' "
							+ "(add --record to keep what it builds as the record), or accept the live schema as it "
							+ "is: 'migrations diff --record'.");
			case STALE_RECORD -> new MigrationException("The record of what the migrations made belongs to an older "
					+ "history (a run outside Lockstep, or one that ended before it could record).",
					"Record again: 'migrations diff --against=changelog --record' (the schema the changelog makes) "
							+ "or 'migrations diff --record' (the live schema as it is); the next 'migrations update' "
							+ "that changes the schema records too.");
			case RUN_IN_PROGRESS -> new MigrationException(String.valueOf(report.message()) + ".",
					"Wait for the run to end, then compare again.");
			case UNSUPPORTED -> new MigrationException("Drift is compared on PostgreSQL only; this database is not "
					+ "PostgreSQL.", "Nothing to compare here.");
			case DISABLED -> new MigrationException("Drift checks are switched off (migrations.drift.enabled=false).",
					"Set migrations.drift.enabled=true, or compare with the changelog: 'migrations diff "
							+ "--against=changelog'.");
			default -> new MigrationException(String.valueOf(report.message()) + ".",
					"Check the connection and the migration user's access to the catalog, then run the command "
							+ "again.");
		};
	}

}
