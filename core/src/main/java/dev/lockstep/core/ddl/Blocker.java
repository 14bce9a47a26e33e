package dev.lockstep.core.ddl;

import java.time.Duration;

import org.jspecify.annotations.Nullable;

/**
 * A session that held a lock a run's statement waited for, as {@code pg_stat_activity} showed it.
 *
 * @param pid its backend pid
 * @param applicationName its {@code application_name} (empty when it set none)
 * @param user the role it is logged in as, when visible
 * @param state its state ({@code idle in transaction}, {@code active}, ...), {@code null} when hidden from this role
 * @param query its current or last query, shortened; {@code null} when hidden from this role
 * @param transactionAge how long its transaction had been open, {@code null} when it had none or it is hidden
 */
public record Blocker(int pid, String applicationName, @Nullable String user, @Nullable String state,
		@Nullable String query, @Nullable Duration transactionAge) {

	/** How much of the blocker's query is shown. */
	static final int QUERY_LENGTH = 200;

	public Blocker {
		applicationName = (applicationName != null) ? applicationName : "";
		query = (query != null) ? shorten(query) : null;
	}

	/** One phrase for log lines and errors: who it is, what it is doing, since when. */
	public String describe() {
		StringBuilder text = new StringBuilder("session pid ").append(this.pid);
		text.append(" (application_name '").append(this.applicationName).append('\'');
		if (this.user != null) {
			text.append(", user ").append(this.user);
		}
		text.append(", state ").append((this.state != null) ? this.state : "hidden from this role");
		if (this.transactionAge != null) {
			text.append(", transaction open for ").append(seconds(this.transactionAge));
		}
		if (this.query != null) {
			text.append(", query: ").append(this.query);
		}
		return text.append(')').toString();
	}

	private static String seconds(Duration age) {
		long millis = age.toMillis();
		return (millis < 10_000) ? String.format(java.util.Locale.ROOT, "%.1f s", millis / 1000.0)
				: (age.toSeconds() + " s");
	}

	private static String shorten(String query) {
		String oneLine = query.strip().replaceAll("\\s+", " ");
		return (oneLine.length() > QUERY_LENGTH) ? oneLine.substring(0, QUERY_LENGTH) + "..." : oneLine;
	}

}
