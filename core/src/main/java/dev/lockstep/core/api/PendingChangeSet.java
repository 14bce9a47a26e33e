package dev.lockstep.core.api;

/**
 * A changeset the next apply would run.
 *
 * @param id changeset id
 * @param author changeset author
 * @param changeLog the file that declares it
 * @param description Liquibase's description of its changes, e.g. {@code addColumn tableName=orders}
 * @param contexts its context expression, empty when none
 * @param labels its labels, empty when none
 * @param reason why it runs: never applied, runs always, or changed with {@code runOnChange}
 */
public record PendingChangeSet(String id, String author, String changeLog, String description, String contexts,
		String labels, String reason) {

	public ChangeSetRef ref() {
		return new ChangeSetRef(this.id, this.author, this.changeLog);
	}

}
