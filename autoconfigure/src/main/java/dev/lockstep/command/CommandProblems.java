package dev.lockstep.command;

import dev.lockstep.core.api.InvalidTargetException;
import dev.lockstep.core.problem.DatabaseErrors;
import dev.lockstep.core.problem.MigrationException;

/**
 * Turns the core's problems into the sentence a command prints after {@code migrations <command>: }, naming
 * options as the command line spells them.
 */
final class CommandProblems {

	private CommandProblems() {
	}

	/** What went wrong and what to do, without row data: {@code <message> | What to do: <action>}. */
	static String describe(MigrationException problem) {
		return oneLine(DatabaseErrors.withoutRowData(problem.message(MigrationsWording.INSTANCE)))
				+ " | What to do: " + oneLine(problem.action(MigrationsWording.INSTANCE));
	}

	/** Just what went wrong, for a table row (the row's command prints what to do once, below). */
	static String message(MigrationException problem) {
		return oneLine(DatabaseErrors.withoutRowData(problem.message(MigrationsWording.INSTANCE)));
	}

	/** A bad argument, naming the options that fix it. */
	static String describe(IllegalArgumentException problem) {
		if (problem instanceof InvalidTargetException invalid
				&& invalid.reason() == InvalidTargetException.Reason.NOT_EXACTLY_ONE) {
			return "Give exactly one of --count, --to-tag or --to-date";
		}
		return problem.getMessage();
	}

	/** Any failure of one tenant, in one line: a typed problem with what to do, or the database's error. */
	static String describeAny(RuntimeException problem) {
		if (problem instanceof MigrationException migration) {
			return describe(migration);
		}
		return oneLine(DatabaseErrors.message(problem));
	}

	private static String oneLine(String text) {
		return OneLine.of(text);
	}

}
