package dev.lockstep.autoconfigure;

import org.springframework.boot.diagnostics.AbstractFailureAnalyzer;
import org.springframework.boot.diagnostics.FailureAnalysis;

import dev.lockstep.core.MigrationException;

/**
 * Turns a failed startup run into Spring Boot's "APPLICATION FAILED TO START" report: what went wrong (which
 * changeset, its file, the database's error, what was applied before it) and what to do.
 */
class MigrationsFailureAnalyzer extends AbstractFailureAnalyzer<MigrationException> {

	@Override
	protected FailureAnalysis analyze(Throwable rootFailure, MigrationException cause) {
		return new FailureAnalysis("Lockstep migrations: " + cause.getMessage(), cause.action(), cause);
	}

}
