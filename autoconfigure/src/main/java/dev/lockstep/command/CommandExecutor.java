package dev.lockstep.command;

import java.io.PrintStream;
import java.nio.file.Path;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.time.ZonedDateTime;
import java.time.format.DateTimeParseException;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import dev.lockstep.core.MigrationCommands;
import dev.lockstep.core.api.AppliedChangeSet;
import dev.lockstep.core.api.ChecksumMismatch;
import dev.lockstep.core.api.HistoryReport;
import dev.lockstep.core.api.MigrationStatus;
import dev.lockstep.core.api.PendingChangeSet;
import dev.lockstep.core.api.PlannedChangeSet;
import dev.lockstep.core.api.RollbackPlan;
import dev.lockstep.core.api.RollbackTarget;
import dev.lockstep.core.api.RunResult;
import dev.lockstep.core.api.UpdateTarget;
import dev.lockstep.core.problem.DatabaseErrors;
import dev.lockstep.core.problem.MigrationException;

/**
 * Runs one command and prints its result: aligned tables for people, {@code --format=json} for scripts, and on
 * failure one line on stderr saying what went wrong and what to do.
 */
public final class CommandExecutor {

	/** Exit code: done. */
	public static final int OK = 0;

	/** Exit code: {@code check} found the schema out of date. */
	public static final int NOT_UP_TO_DATE = 1;

	/** Exit code: wrong usage. */
	public static final int USAGE = 2;

	/** Exit code: the command failed. */
	public static final int FAILED = 3;

	private final MigrationCommands commands;

	private final String changeLog;

	private final PrintStream out;

	private final PrintStream err;

	public CommandExecutor(MigrationCommands commands, String changeLog, PrintStream out, PrintStream err) {
		this.commands = commands;
		this.changeLog = changeLog;
		this.out = out;
		this.err = err;
	}

	/**
	 * The commands, as typed after {@code migrations} (e.g. {@code update}), in the order {@code migrations help}
	 * lists them: for checking scripts and manifests that call them.
	 * @return the command names
	 */
	public static List<String> commandNames() {
		return Arrays.stream(MigrationsCommand.values()).map(MigrationsCommand::commandName).toList();
	}

	/**
	 * The options a command accepts, without the leading dashes (e.g. {@code to-tag} for {@code update}).
	 * Application configuration options ({@code --spring.profiles.active=prod}) are accepted by every command.
	 * @param command a command name
	 * @return its options
	 * @throws IllegalArgumentException for an unknown command
	 */
	public static List<String> optionNames(String command) {
		return MigrationsCommand.named(command).options();
	}

	/** Parses the arguments ({@code migrations <command> ...}) and runs the command. */
	public int execute(List<String> args) {
		CommandLine line;
		try {
			line = CommandLine.parse(args);
		}
		catch (UsageException ex) {
			this.err.println("migrations: " + ex.getMessage());
			this.err.print(MigrationsCommand.help());
			return USAGE;
		}
		try {
			return run(line);
		}
		catch (UsageException ex) {
			this.err.println("migrations " + line.command().commandName() + ": " + ex.getMessage());
			return USAGE;
		}
		catch (IllegalArgumentException ex) {
			this.err.println("migrations " + line.command().commandName() + ": " + CommandProblems.describe(ex));
			return USAGE;
		}
		catch (MigrationException ex) {
			this.err.println("migrations " + line.command().commandName() + ": " + CommandProblems.describe(ex));
			return FAILED;
		}
		catch (RuntimeException ex) {
			this.err.println("migrations " + line.command().commandName() + ": failed: " + oneLine(rootMessage(ex)));
			return FAILED;
		}
	}

	private int run(CommandLine line) {
		return switch (line.command()) {
			case HELP -> {
				this.out.print(MigrationsCommand.help());
				yield OK;
			}
			case STATUS -> status(line, false);
			case CHECK -> status(line, true);
			case HISTORY -> history(line);
			case UPDATE -> update(line);
			case SQL -> {
				this.out.print(this.commands.updateSql());
				yield OK;
			}
			case ROLLBACK -> rollback(line);
			case ROLLBACK_SQL -> {
				this.out.print(this.commands.rollbackSql(rollbackTarget(line)));
				yield OK;
			}
			case TAG -> {
				String name = required(line, "name");
				this.commands.tag(name);
				this.out.println("Tagged the current state as " + name + ".");
				yield OK;
			}
			case BASELINE -> baseline(line);
			case GENERATE_CHANGELOG -> {
				Path output = this.commands.generateChangelog(Path.of(required(line, "output")));
				this.out.println("Wrote a changelog of the existing schema to " + output.toAbsolutePath()
						+ ". Review it, include it in your master changelog, then run 'migrations baseline'.");
				yield OK;
			}
		};
	}

	private int status(CommandLine line, boolean gate) {
		HistoryReport report = this.commands.inspect();
		MigrationStatus status = report.status();
		boolean upToDate = status.isUpToDate();
		if (line.json()) {
			Map<String, Object> json = new LinkedHashMap<>();
			json.put("state", status.state().name());
			json.put("upToDate", upToDate);
			json.put("changeLog", displayChangeLog());
			json.put("database", status.database());
			json.put("current", status.current());
			json.put("currentTag", status.currentTag());
			json.put("appliedCount", status.appliedCount());
			json.put("pending", status.pending());
			json.put("unexpected", status.unexpected());
			json.put("checksumMismatches", status.checksumMismatches());
			json.put("lock", lock(status));
			this.out.println(Json.write(json));
		}
		else {
			printStatus(status);
			if (gate) {
				this.out.println();
				this.out.println(upToDate ? "OK: the schema matches the changelog."
						: "NOT UP TO DATE (" + status.state() + "): run 'migrations update' before this version "
								+ "starts in validate mode.");
			}
		}
		return (gate && !upToDate) ? NOT_UP_TO_DATE : OK;
	}

	private void printStatus(MigrationStatus status) {
		var database = status.database();
		this.out.println("Database    " + database.product() + " " + database.version() + "  " + database.url()
				+ ((database.schema() != null) ? "  (schema " + database.schema() + ")" : ""));
		this.out.println("Changelog   " + displayChangeLog());
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

	private int history(CommandLine line) {
		List<AppliedChangeSet> history = this.commands.history();
		if (line.json()) {
			this.out.println(Json.write(history));
			return OK;
		}
		this.out.println("Applied changesets, newest first: " + history.size());
		if (!history.isEmpty()) {
			TextTable table = new TextTable("#", "ID", "AUTHOR", "FILE", "APPLIED AT", "TYPE", "TAG");
			for (AppliedChangeSet changeSet : history) {
				table.row(changeSet.orderExecuted(), changeSet.id(), changeSet.author(), changeSet.changeLog(),
						changeSet.appliedAt(), changeSet.baselined() ? "BASELINE" : changeSet.execType(), changeSet.tag());
			}
			this.out.print(table.render());
		}
		return OK;
	}

	private int update(CommandLine line) {
		Integer count = line.intOption("count");
		String toTag = line.option("to-tag");
		UpdateTarget target = (count != null || toTag != null) ? new UpdateTarget(count, toTag) : UpdateTarget.ALL;
		boolean dryRun = line.flag("dry-run");
		List<PlannedChangeSet> plan = this.commands.planUpdate(target);
		String scope = (count != null) ? " (--count=" + count + ")" : (toTag != null) ? " (up to tag " + toTag + ")" : "";
		if (printPlan(line, dryRun, plan, "apply " + plan.size() + " changeset(s)" + scope + ", in this order",
				"Plan: nothing to apply" + scope + ".")) {
			return OK;
		}
		RunResult result = this.commands.update(target);
		if (line.json()) {
			this.out.println(Json.write(result));
		}
		else {
			this.out.println("Applied " + result.applied() + " changeset(s) in " + result.durationMs() + " ms"
					+ ((result.lockWait().toMillis() < 50) ? "" : " (waited " + result.lockWait().toMillis() + " ms for the lock)")
					+ ".");
		}
		return OK;
	}

	private int rollback(CommandLine line) {
		RollbackTarget target = rollbackTarget(line);
		boolean dryRun = line.flag("dry-run");
		RollbackPlan planned = this.commands.planRollback(target);
		if (line.json() && dryRun) {
			this.out.println(Json.write(dryRun(planned)));
			return OK;
		}
		if (!line.json()) {
			if (planned.changeSets().isEmpty()) {
				this.out.println("Plan: nothing to roll back (" + target + ").");
			}
			else {
				this.out.println("Plan: undo " + planned.changeSets().size() + " changeset(s) (" + target
						+ "), newest first:");
				TextTable table = new TextTable("#", "ID", "AUTHOR", "FILE", "APPLIED AT");
				int i = 1;
				for (AppliedChangeSet changeSet : planned.changeSets()) {
					table.row(i++, changeSet.id(), changeSet.author(), changeSet.changeLog(), changeSet.appliedAt());
				}
				this.out.print(table.render());
			}
			if (dryRun) {
				this.out.println("Dry run: nothing was changed.");
				return OK;
			}
		}
		RollbackPlan plan = this.commands.rollback(target, planned);
		if (line.json()) {
			this.out.println(Json.write(plan));
			return OK;
		}
		if (plan.changeSets().isEmpty()) {
			this.out.println("Nothing to roll back (" + plan.target() + ").");
			return OK;
		}
		this.out.println("Rolled back " + plan.changeSets().size() + " changeset(s) (" + plan.target() + "):");
		TextTable table = new TextTable("ID", "AUTHOR", "FILE");
		plan.changeSets().forEach((changeSet) -> table.row(changeSet.id(), changeSet.author(), changeSet.changeLog()));
		this.out.print(table.render());
		String tag = plan.target().toTag();
		if (tag != null && plan.changeSets()
			.stream()
			.anyMatch((changeSet) -> tag.equalsIgnoreCase(changeSet.tag())
					&& "tagDatabase".equals(String.valueOf(changeSet.description()).strip()))) {
			this.out.println("The tagDatabase changeset that set " + tag + " was undone too (as Liquibase does): the "
					+ "schema is at " + tag + ", and 'migrations update' (or --to-tag=" + tag
					+ ") records the tag again.");
		}
		return OK;
	}

	private int baseline(CommandLine line) {
		String toTag = line.option("to-tag");
		boolean force = line.flag("force");
		boolean dryRun = line.flag("dry-run");
		String scope = (toTag != null) ? " (up to tag " + toTag + ")" : "";
		List<PlannedChangeSet> plan = this.commands.planBaseline(toTag, force);
		if (printPlan(line, dryRun, plan,
				"record " + plan.size() + " changeset(s) as applied without running them" + scope + ", in this order",
				"Plan: nothing to record" + scope + ".")) {
			return OK;
		}
		int marked = this.commands.baseline(toTag, force, plan);
		this.out.println("Baseline: recorded " + marked + " changeset(s) as applied without running them" + scope
				+ ".");
		return OK;
	}

	/**
	 * Prints a changing command's plan before it runs (in JSON only for a dry run, so that the result stays one
	 * JSON document).
	 * @return whether this is a dry run, which ends here
	 */
	private boolean printPlan(CommandLine line, boolean dryRun, List<PlannedChangeSet> plan, String what,
			String nothing) {
		if (line.json()) {
			if (dryRun) {
				this.out.println(Json.write(dryRun(plan)));
			}
			return dryRun;
		}
		if (plan.isEmpty()) {
			this.out.println(nothing);
		}
		else {
			this.out.println("Plan: " + what + ":");
			TextTable table = new TextTable("#", "ID", "AUTHOR", "FILE", "DESCRIPTION");
			int i = 1;
			for (PlannedChangeSet changeSet : plan) {
				table.row(i++, changeSet.id(), changeSet.author(), changeSet.changeLog(), changeSet.description());
			}
			this.out.print(table.render());
		}
		if (dryRun) {
			this.out.println("Dry run: nothing was changed.");
		}
		return dryRun;
	}

	private static Map<String, Object> dryRun(Object plan) {
		Map<String, Object> json = new LinkedHashMap<>();
		json.put("dryRun", true);
		json.put("plan", plan);
		return json;
	}

	private static RollbackTarget rollbackTarget(CommandLine line) {
		return new RollbackTarget(line.intOption("count"), line.option("to-tag"), date(line.option("to-date")));
	}

	/**
	 * A moment with its offset or zone. A local date or time is refused: the history's times are instants, and a
	 * local time would be a different moment in every operator's zone.
	 */
	static Instant date(String text) {
		if (text == null) {
			return null;
		}
		try {
			return OffsetDateTime.parse(text).toInstant();
		}
		catch (DateTimeParseException notOffset) {
			try {
				return ZonedDateTime.parse(text).toInstant();
			}
			catch (DateTimeParseException notZoned) {
				String example = example(text);
				throw new UsageException("--to-date=" + text + ((example != null) ? " has no time zone offset"
						: " is not a date and time") + ": give the moment with its offset, e.g. --to-date="
						+ ((example != null) ? example : "2026-11-25T10:15:30") + "Z (UTC) or --to-date="
						+ ((example != null) ? example : "2026-11-25T10:15:30") + "+01:00.");
			}
		}
	}

	/** The date-time a local date or time stands for, as the start of an example with an offset. */
	private static String example(String text) {
		try {
			return LocalDateTime.parse(text).toString();
		}
		catch (DateTimeParseException notLocal) {
			try {
				return LocalDate.parse(text).atStartOfDay().toString() + ":00";
			}
			catch (DateTimeParseException notDate) {
				return null;
			}
		}
	}

	private static String required(CommandLine line, String option) {
		String value = line.option(option);
		if (value == null || value.isBlank() || value.equals("true")) {
			throw new UsageException("--" + option + "=... is required. " + line.command().usage());
		}
		return value;
	}

	private Map<String, Object> lock(MigrationStatus status) {
		Map<String, Object> lock = new LinkedHashMap<>();
		lock.put("held", status.lockHolder() != null);
		lock.put("holder", status.lockHolder());
		return lock;
	}

	private String displayChangeLog() {
		return this.changeLog.startsWith("classpath:") ? this.changeLog.substring("classpath:".length())
				: this.changeLog;
	}

	/**
	 * Folds a multi-line message into one line: "a:\n  - x\n  - y\nb" becomes "a: x; y. b".
	 */
	static String oneLine(String text) {
		if (text == null) {
			return "";
		}
		StringBuilder line = new StringBuilder();
		boolean inList = false;
		for (String part : text.strip().split("\\s*\\n\\s*")) {
			boolean item = part.startsWith("- ");
			String content = item ? part.substring(2).strip() : part;
			if (line.length() > 0) {
				if (item && inList) {
					line.append("; ");
				}
				else if (!item && inList && !endsSentence(line)) {
					line.append(". ");
				}
				else {
					line.append(' ');
				}
			}
			line.append(content);
			inList = item;
		}
		return line.toString();
	}

	private static boolean endsSentence(CharSequence text) {
		char last = text.charAt(text.length() - 1);
		return last == '.' || last == '!' || last == '?';
	}

	private static String rootMessage(Throwable ex) {
		return DatabaseErrors.message(ex);
	}

}
