package dev.lockstep.core.api;

import liquibase.changelog.ChangeSet;

/**
 * One changeset a changing command will apply, undo or mark, as its plan lists it.
 *
 * @param id changeset id
 * @param author changeset author
 * @param changeLog the file that declares it
 * @param description Liquibase's description of its changes
 */
public record PlannedChangeSet(String id, String author, String changeLog, String description) {

	public static PlannedChangeSet of(ChangeSet changeSet) {
		return new PlannedChangeSet(changeSet.getId(), changeSet.getAuthor(), changeSet.getFilePath(),
				changeSet.getDescription());
	}

	public static PlannedChangeSet of(AppliedChangeSet applied) {
		return new PlannedChangeSet(applied.id(), applied.author(), applied.changeLog(), applied.description());
	}

	public ChangeSetRef ref() {
		return new ChangeSetRef(this.id, this.author, this.changeLog);
	}

}
