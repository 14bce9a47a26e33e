package dev.lockstep.core.problem;

/**
 * The wait for the migration lock was interrupted, typically by a shutdown.
 */
public class LockWaitInterruptedException extends MigrationException {

	public LockWaitInterruptedException() {
		super("Stopped while waiting for the migration lock; nothing was changed.",
				"None needed: another instance is migrating; start again when it is done.");
	}

}
