package dev.lockstep.core.api;

import org.jspecify.annotations.Nullable;

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
		return (normalize(changeLog) + "::" + id + "::" + author).toLowerCase(java.util.Locale.ROOT);
	}

	/** {@link #key(String, String, String)} of this changeset. */
	public String key() {
		return key(this.changeLog, this.id, this.author);
	}

	/** {@link #key(String, String, String)} of a declared changeset. */
	public static String key(liquibase.changelog.ChangeSet changeSet) {
		return key(changeSet.getFilePath(), changeSet.getId(), changeSet.getAuthor());
	}

	/** {@link #key(String, String, String)} of a history row. */
	public static String key(liquibase.changelog.RanChangeSet ran) {
		return key(ran.getChangeLog(), ran.getId(), ran.getAuthor());
	}

	/** Whether a history row records this changeset, as {@code RanChangeSet#isSameAs(ChangeSet)} tells. */
	public static boolean isSameAs(liquibase.changelog.RanChangeSet ran, liquibase.changelog.ChangeSet changeSet) {
		String ranPath = normalize(ran.getChangeLog());
		return ran.getId().equalsIgnoreCase(changeSet.getId()) && ran.getAuthor().equalsIgnoreCase(changeSet.getAuthor())
				&& ranPath != null && ranPath.equalsIgnoreCase(normalize(changeSet.getFilePath()));
	}

	/**
	 * Liquibase's path normalization, remembered per path: it reads its configuration on every call, which made it
	 * most of the cost of matching thousands of changesets, and a changelog names few distinct files.
	 */
	private static @Nullable String normalize(@Nullable String path) {
		if (path == null) {
			return null;
		}
		if (NORMALIZED.size() > 10_000) {
			NORMALIZED.clear();
		}
		return NORMALIZED.computeIfAbsent(path, liquibase.changelog.DatabaseChangeLog::normalizePath);
	}

	private static final java.util.Map<String, String> NORMALIZED = new java.util.concurrent.ConcurrentHashMap<>();

	@Override
	public String toString() {
		return this.id + "::" + this.author + " (" + this.changeLog + ")";
	}

}
