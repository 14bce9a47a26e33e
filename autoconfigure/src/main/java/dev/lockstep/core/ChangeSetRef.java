package dev.lockstep.core;

/**
 * Identity of a changeset, as Liquibase records it.
 *
 * @param id changeset id
 * @param author changeset author
 * @param changeLog the file that declares it
 */
public record ChangeSetRef(String id, String author, String changeLog) {

	@Override
	public String toString() {
		return this.id + "::" + this.author + " (" + this.changeLog + ")";
	}

}
