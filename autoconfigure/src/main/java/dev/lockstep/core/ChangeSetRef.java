package dev.lockstep.core;

/**
 * Identity of a changeset, as Liquibase records it.
 *
 * @param id changeset id
 * @param author changeset author
 * @param changeLog the file that declares it
 */
public record ChangeSetRef(String id, String author, String changeLog) {

	/**
	 * The identity Liquibase matches changesets and history rows by: normalized file path, id and author, case
	 * ignored.
	 */
	public static String key(String changeLog, String id, String author) {
		return (liquibase.changelog.DatabaseChangeLog.normalizePath(changeLog) + "::" + id + "::" + author)
			.toLowerCase(java.util.Locale.ROOT);
	}

	@Override
	public String toString() {
		return this.id + "::" + this.author + " (" + this.changeLog + ")";
	}

}
