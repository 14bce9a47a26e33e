package dev.lockstep.core.jdbc;

import org.jspecify.annotations.Nullable;

/**
 * Makes JDBC URLs safe to show: no user info, no query parameters (they may carry passwords).
 */
public final class JdbcUrls {

	private JdbcUrls() {
	}

	public static @Nullable String redact(@Nullable String url) {
		if (url == null) {
			return null;
		}
		String safe = url;
		int query = indexOfAny(safe, '?', ';');
		if (query >= 0) {
			safe = safe.substring(0, query);
		}
		int scheme = safe.indexOf("://");
		if (scheme >= 0) {
			int hostStart = scheme + 3;
			int at = safe.indexOf('@', hostStart);
			int slash = safe.indexOf('/', hostStart);
			if (at >= 0 && (slash < 0 || at < slash)) {
				safe = safe.substring(0, hostStart) + safe.substring(at + 1);
			}
		}
		return safe;
	}

	/**
	 * The same PostgreSQL JDBC URL naming another database on the same server (host, port and parameters kept), or
	 * {@code null} when the URL is not one of PostgreSQL's forms ({@code jdbc:postgresql://host[:port][/db][?..]},
	 * {@code jdbc:postgresql:db[?..]}).
	 */
	public static @Nullable String withDatabase(@Nullable String url, String database) {
		String prefix = "jdbc:postgresql:";
		if (url == null || !url.regionMatches(true, 0, prefix, 0, prefix.length())) {
			return null;
		}
		int query = url.indexOf('?');
		String base = (query >= 0) ? url.substring(0, query) : url;
		String parameters = (query >= 0) ? url.substring(query) : "";
		String rest = base.substring(prefix.length());
		if (!rest.startsWith("//")) {
			return prefix + database + parameters;
		}
		int slash = rest.indexOf('/', 2);
		String hosts = (slash >= 0) ? rest.substring(0, slash) : rest;
		return prefix + hosts + "/" + database + parameters;
	}

	/**
	 * The database a JDBC URL names: the path after the host (or after the subprotocol), without parameters; the
	 * whole URL, redacted, when it has none.
	 */
	public static String databaseName(String url) {
		int query = indexOfAny(url, '?', ';');
		String base = (query >= 0) ? url.substring(0, query) : url;
		int hosts = base.indexOf("//");
		int slash = (hosts >= 0) ? base.indexOf('/', hosts + 2) : base.lastIndexOf(':');
		String name = (slash >= 0 && slash < base.length() - 1) ? base.substring(slash + 1) : "";
		if (name.isEmpty()) {
			String redacted = redact(url);
			return (redacted != null) ? redacted : url;
		}
		return name;
	}

	private static int indexOfAny(String text, char... chars) {
		int first = -1;
		for (char c : chars) {
			int index = text.indexOf(c);
			if (index >= 0 && (first < 0 || index < first)) {
				first = index;
			}
		}
		return first;
	}

}
