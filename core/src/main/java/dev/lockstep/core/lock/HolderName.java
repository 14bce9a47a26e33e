package dev.lockstep.core.lock;

import java.time.Instant;

import org.jspecify.annotations.Nullable;

import dev.lockstep.core.api.LockHolder;

/**
 * Encodes who a process is into the application name of its run session ({@code lockstep:<pid>@<host>:<application>}
 * while it waits, {@code lockstep:<pid>/<since>@<host>:<application>} once it holds the lock, {@code <since>} being
 * the epoch second of the acquisition in base 36; 63 bytes at most) and reads it back from
 * {@code pg_stat_activity}.
 */
final class HolderName {

	private static final String PREFIX = "lockstep:";

	/** PostgreSQL keeps 63 bytes of an application name (NAMEDATALEN - 1). */
	private static final int MAX_LENGTH = 63;

	/** Room kept in a waiting name for {@code /<since>}, added once the lock is held (7 base-36 digits last to 2080). */
	private static final int SINCE_ROOM = 1 + 7;

	/** What the application part keeps at least when the host is long. */
	private static final int MIN_APPLICATION = 12;

	private HolderName() {
	}

	/**
	 * Cuts the host and then the application, never the pid or the separators, so that the name still reads back
	 * once the acquisition time is added and PostgreSQL has kept its 63 bytes.
	 */
	static String encode(String application, long pid, String host) {
		String head = PREFIX + pid + "@";
		String safeHost = printable(host);
		String safeApplication = printable(application);
		int room = Math.max(0, MAX_LENGTH - SINCE_ROOM - head.length() - 1);
		int applicationShare = Math.min(safeApplication.length(),
				Math.max(MIN_APPLICATION, room - safeHost.length()));
		String cutHost = cut(safeHost, Math.max(0, room - applicationShare));
		String cutApplication = cut(safeApplication, room - cutHost.length());
		return truncate(head + cutHost + ":" + cutApplication);
	}

	/** PostgreSQL turns every character outside printable ASCII into '?': do it first, so length counts bytes. */
	private static String printable(String text) {
		StringBuilder result = new StringBuilder(text.length());
		text.codePoints().forEach((c) -> result.append((c >= 32 && c <= 126) ? (char) c : '?'));
		return result.toString();
	}

	private static String cut(String text, int length) {
		return (text.length() > length) ? text.substring(0, Math.max(0, length)) : text;
	}

	/** The name of a session that holds the lock since the given time. */
	static String holding(String name, Instant since) {
		int at = name.indexOf('@');
		if (!name.startsWith(PREFIX) || at < 0) {
			return name;
		}
		return truncate(name.substring(0, at) + "/" + Long.toString(since.getEpochSecond(), 36) + name.substring(at));
	}

	/**
	 * @param fallbackSince when the name carries no acquisition time (a session not of Lockstep), its best guess
	 */
	static LockHolder decode(@Nullable String applicationName, @Nullable String clientAddress,
			@Nullable Instant fallbackSince) {
		if (applicationName != null && applicationName.startsWith(PREFIX)) {
			String rest = applicationName.substring(PREFIX.length());
			int at = rest.indexOf('@');
			int colon = rest.indexOf(':', Math.max(at, 0));
			if (at > 0 && colon > at) {
				String who = rest.substring(0, at);
				int slash = who.indexOf('/');
				Long pid = parseLong(who.substring(0, (slash >= 0) ? slash : who.length()), 10);
				Long sinceSecond = (slash >= 0) ? parseLong(who.substring(slash + 1), 36) : null;
				Instant since = (sinceSecond != null) ? Instant.ofEpochSecond(sinceSecond) : fallbackSince;
				return new LockHolder(rest.substring(colon + 1), rest.substring(at + 1, colon), pid, since, "advisory");
			}
		}
		String application = (applicationName == null || applicationName.isEmpty()) ? "unknown session"
				: applicationName;
		return new LockHolder(application, clientAddress, null, fallbackSince, "advisory");
	}

	private static String truncate(String name) {
		return cut(name, MAX_LENGTH);
	}

	private static @Nullable Long parseLong(String text, int radix) {
		try {
			return Long.valueOf(text, radix);
		}
		catch (NumberFormatException ex) {
			return null;
		}
	}

}
