package dev.lockstep.autoconfigure;

import org.springframework.boot.diagnostics.AbstractFailureAnalyzer;
import org.springframework.boot.diagnostics.FailureAnalysis;

import dev.lockstep.command.MigrationsWording;
import dev.lockstep.core.problem.DatabaseErrors;
import dev.lockstep.core.problem.MigrationException;

/**
 * Turns a failed startup run into Spring Boot's "APPLICATION FAILED TO START" report: what went wrong (which
 * changeset, its file, the database's error without row data, what was applied before it) and what to do, naming
 * settings and commands as {@link MigrationsWording} does.
 */
class MigrationsFailureAnalyzer extends AbstractFailureAnalyzer<MigrationException> {

	@Override
	protected FailureAnalysis analyze(Throwable rootFailure, MigrationException cause) {
		// The message never holds row data; stripped here too for messages composed from other exceptions.
		return new FailureAnalysis(
				"Lockstep migrations: "
						+ DatabaseErrors.withoutRowData(cause.message(MigrationsWording.INSTANCE)),
				cause.action(MigrationsWording.INSTANCE), cause);
	}

}
