package dev.lockstep.core.problem;

/**
 * An apply was asked for while a run of this instance is still applying: the second one is refused at once rather
 * than queued behind the first.
 */
public class ApplyInProgressException extends MigrationException {

	public ApplyInProgressException() {
		super("A migration run is already in progress in this instance",
				"Wait for it to finish (the state is MIGRATING until then), then check the status again");
	}

}
