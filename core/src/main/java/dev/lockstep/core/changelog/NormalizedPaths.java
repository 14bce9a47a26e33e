package dev.lockstep.core.changelog;

import java.util.HashMap;
import java.util.Locale;
import java.util.Map;

import liquibase.changelog.ChangeSet;
import liquibase.changelog.DatabaseChangeLog;
import liquibase.changelog.RanChangeSet;

/**
 * Changeset identities as Liquibase compares them ({@link DatabaseChangeLog#normalizePath}), with each path
 * normalized once per read. Liquibase looks a configuration value up on every {@code normalizePath} call (copying
 * the system properties each time); called several times per changeset it made most of the cost of reading a
 * 5,000-changeset history. A history names few distinct files, so one read normalizes a handful of paths.
 * Not thread-safe: one instance per read.
 */
public final class NormalizedPaths {

	private final Map<String, String> normalized = new HashMap<>();

	public String of(String path) {
		if (path == null) {
			return null;
		}
		String result = this.normalized.get(path);
		if (result == null) {
			result = DatabaseChangeLog.normalizePath(path);
			this.normalized.put(path, result);
		}
		return result;
	}

	/** {@link RanChangeSet#toString()}, lower-cased. */
	public String key(RanChangeSet ran) {
		return key(ran.getChangeLog(), ran.getId(), ran.getAuthor());
	}

	/** {@link ChangeSet#toNormalizedString()}, lower-cased. */
	public String key(ChangeSet changeSet) {
		return key(changeSet.getFilePath(), changeSet.getId(), changeSet.getAuthor());
	}

	public String key(String path, String id, String author) {
		return (of(path) + "::" + id + "::" + author).toLowerCase(Locale.ROOT);
	}

	/** {@link RanChangeSet#isSameAs(ChangeSet)}. */
	public boolean isSameAs(RanChangeSet ran, ChangeSet changeSet) {
		String ranPath = of(ran.getChangeLog());
		return ran.getId().equalsIgnoreCase(changeSet.getId()) && ran.getAuthor().equalsIgnoreCase(changeSet.getAuthor())
				&& ranPath != null && ranPath.equalsIgnoreCase(of(changeSet.getFilePath()));
	}

}
