package dev.lockstep.command;

import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.stream.Collectors;

/**
 * The commands of {@code java -jar app.jar migrations <command>}.
 */
enum MigrationsCommand {

	STATUS("status", "current revision, pending and unexpected changesets, lock holder", "format"),

	CHECK("check", "the same, as a CI gate: exit 0 when up to date, 1 when pending, drifted or ahead (lint findings "
			+ "printed)", "format"),

	HISTORY("history", "applied changesets, newest first", "format"),

	UPDATE("update", "apply pending changesets under the lock [--count=N | --to-tag=T] [--dry-run]", "count",
			"to-tag", "dry-run", "format"),

	SQL("sql", "print the SQL of the pending changesets, for review, with the lint's findings"),

	LINT("lint", "check the pending changesets against the safe-DDL rules, graded by the live tables: exit 1 on "
			+ "errors", "format"),

	ROLLBACK("rollback",
			"undo changesets under the lock: --count=N | --to-tag=T | --to-date=ISO-with-offset [--dry-run]",
			"count", "to-tag", "to-date", "dry-run", "format"),

	ROLLBACK_SQL("rollback-sql",
			"print the SQL a rollback would run: --count=N | --to-tag=T | --to-date=ISO-with-offset",
			"count", "to-tag", "to-date"),

	TAG("tag", "tag the current state: --name=T", "name"),

	BASELINE("baseline", "record changesets as applied without running them [--to-tag=T] [--force] [--dry-run]",
			"to-tag", "force", "dry-run"),

	GENERATE_CHANGELOG("generate-changelog", "write a changelog of the existing schema: --output=FILE", "output"),

	DIFF("diff", "compare the live schema with what the migrations made [--against=changelog] [--record "
			+ "[--dry-run]] [--output=FILE]", "against", "record", "dry-run", "output", "format"),

	HELP("help", "list the commands");

	private final String commandName;

	private final String description;

	private final List<String> options;

	MigrationsCommand(String commandName, String description, String... options) {
		this.commandName = commandName;
		this.description = description;
		this.options = List.of(options);
	}

	String commandName() {
		return this.commandName;
	}

	List<String> options() {
		return this.options;
	}

	/** Whether the command runs against a target, so takes {@code --target}, {@code --tenant}, {@code --all-tenants}. */
	boolean takesTargetOptions() {
		return this != HELP;
	}

	/**
	 * Whether the command may run on every tenant of a target at once: the reading ones, and {@code update} (each
	 * tenant's own plan, applied under its own lock).
	 */
	boolean takesAllTenants() {
		return this == STATUS || this == CHECK || this == HISTORY || this == LINT || this == SQL || this == UPDATE;
	}

	String usage() {
		return this.options.isEmpty() ? "It takes no options."
				: "Its options: " + this.options.stream().map((option) -> "--" + option).collect(Collectors.joining(", "))
						+ ".";
	}

	static MigrationsCommand named(String name) {
		return Arrays.stream(values())
			.filter((command) -> command.commandName.equals(name.toLowerCase(Locale.ROOT)))
			.findFirst()
			.orElseThrow(() -> new UsageException("Unknown command '" + name + "'."));
	}

	static String help() {
		StringBuilder text = new StringBuilder("Usage: java -jar app.jar migrations <command> [--option=value]\n\n");
		TextTable table = new TextTable("COMMAND", "DOES");
		for (MigrationsCommand command : values()) {
			table.row(command.commandName, command.description);
		}
		text.append(table.render());
		text.append("\nEvery command takes --target=NAME (a target of migrations.targets.*; default: default) and, for "
				+ "a target with tenants, --tenant=ID or --all-tenants (status, check, history, lint, sql, update).\n");
		text.append("The application's own configuration and profiles apply, e.g. --spring.profiles.active=prod.\n");
		text.append("Exit codes: 0 done, 1 'check' found the schema out of date, 'diff' found drift or 'lint' found "
				+ "errors, 2 wrong usage, 3 failed (or 'diff' had nothing to compare with).\n");
		return text.toString();
	}

}
