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
