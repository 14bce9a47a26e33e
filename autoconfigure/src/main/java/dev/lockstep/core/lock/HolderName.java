package dev.lockstep.core.lock;

import java.time.Instant;

import dev.lockstep.core.LockHolder;

/**
 * Encodes who a process is into a connection's application name ({@code lockstep:<pid>@<host>:<application>},
 * 63 bytes at most) and reads it back from {@code pg_stat_activity}.
 */
final class HolderName {

	private static final String PREFIX = "lockstep:";

	private HolderName() {
	}

	static String encode(String application, long pid, String host) {
		String name = PREFIX + pid + "@" + host + ":" + application;
		return (name.length() > 63) ? name.substring(0, 63) : name;
	}

	static LockHolder decode(String applicationName, String clientAddress, Instant since) {
		if (applicationName != null && applicationName.startsWith(PREFIX)) {
			String rest = applicationName.substring(PREFIX.length());
			int at = rest.indexOf('@');
			int colon = rest.indexOf(':', Math.max(at, 0));
			if (at > 0 && colon > at) {
				Long pid = parsePid(rest.substring(0, at));
				return new LockHolder(rest.substring(colon + 1), rest.substring(at + 1, colon), pid, since, "advisory");
			}
		}
		String application = (applicationName == null || applicationName.isEmpty()) ? "unknown session"
				: applicationName;
		return new LockHolder(application, clientAddress, null, since, "advisory");
	}

	private static Long parsePid(String text) {
		try {
			return Long.valueOf(text);
		}
		catch (NumberFormatException ex) {
			return null;
		}
	}

}
