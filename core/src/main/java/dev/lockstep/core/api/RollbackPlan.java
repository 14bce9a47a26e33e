package dev.lockstep.core.api;

import java.util.List;

/**
 * The changesets a rollback would undo, newest first; checked to be undoable before anything runs.
 *
 * @param target what was asked for
 * @param changeSets the applied changesets it undoes, newest first
 */
public record RollbackPlan(RollbackTarget target, List<AppliedChangeSet> changeSets) {

	public RollbackPlan {
		changeSets = List.copyOf(changeSets);
	}

}
