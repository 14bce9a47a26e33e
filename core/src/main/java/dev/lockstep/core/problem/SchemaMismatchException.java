package dev.lockstep.core.problem;

import dev.lockstep.core.api.MigrationStatus;

/**
 * The schema does not match the changelog and the mode does not allow starting anyway.
 */
public class SchemaMismatchException extends MigrationException {

	private final MigrationStatus status;

	public SchemaMismatchException(String message, String action, MigrationStatus status) {
		this(Phrase.of(message), Phrase.of(action), status);
	}

	public SchemaMismatchException(Phrase message, Phrase action, MigrationStatus status) {
		super(message, action, null);
		this.status = status;
	}

	public MigrationStatus status() {
		return this.status;
	}

}
