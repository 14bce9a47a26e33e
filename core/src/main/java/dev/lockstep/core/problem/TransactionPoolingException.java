package dev.lockstep.core.problem;

/**
 * The migration lock's connection goes through a pooler that hands out server sessions per transaction (PgBouncer,
 * Supavisor or a cloud pooler in transaction or statement mode), or it could not be told that it does not. A session
 * advisory lock there excludes no one, so the run refuses before taking it.
 */
public class TransactionPoolingException extends MigrationException {

	private static final Phrase ACTION = (wording) -> "Point " + wording.setting(Wording.Setting.URL)
			+ " at the database directly (or at a pool in session mode), e.g. " + wording.setting(Wording.Setting.URL)
			+ "=jdbc:postgresql://<database-host>:5432/<database>; the application's own DataSource may stay on the "
			+ "pooler.";

	private final String url;

	private final String evidence;

	private final boolean certain;

	private TransactionPoolingException(String message, Phrase action, String url, String evidence,
			boolean certain) {
		super(message, action);
		this.url = url;
		this.evidence = evidence;
		this.certain = certain;
	}

	/**
	 * The connection was seen to change server sessions between transactions.
	 * @param url the connection's URL, without credentials
	 * @param evidence what was seen, e.g. which backend pids
	 */
	public static TransactionPoolingException pooled(String url, String evidence) {
		return new TransactionPoolingException("The migration lock's connection to " + url + " is pooled per "
				+ "transaction (PgBouncer, Supavisor or a cloud pooler in transaction or statement mode): " + evidence
				+ ". A session advisory lock there does not keep other instances out, so the run stops before taking "
				+ "it. Nothing was changed.", ACTION, url, evidence, true);
	}

	/**
	 * The check could not finish, as happens behind a pooler with no free server session: refused rather than
	 * risk two runs at once.
	 * @param url the connection's URL, without credentials
	 * @param evidence what happened
	 */
	public static TransactionPoolingException undetermined(String url, String evidence) {
		return new TransactionPoolingException("Could not check that the migration lock's connection to " + url
				+ " is not pooled per transaction: " + evidence + ". A pooler with no free server connection does "
				+ "this; the run stops rather than risk running alongside another instance. Nothing was changed.",
				(wording) -> ACTION.in(wording)
						+ " With a session-mode pool, let it serve one more connection to the run for this check.",
				url, evidence, false);
	}

	/** The URL of the pooled connection, without credentials. */
	public String url() {
		return this.url;
	}

	/** What the check saw. */
	public String evidence() {
		return this.evidence;
	}

	/** {@code true} when pooling was seen, {@code false} when the check could not finish. */
	public boolean certain() {
		return this.certain;
	}

}
