package dev.lockstep.core.lint;

/**
 * The PostgreSQL rules pending changesets are checked against: each with its id, why it matters and the safe way.
 */
public enum LintRule {

	INDEX_NOT_CONCURRENT("index-not-concurrent",
			"CREATE/DROP INDEX without CONCURRENTLY blocks every write to the table while the index is built or dropped",
			"Use CREATE INDEX CONCURRENTLY (or DROP INDEX CONCURRENTLY) in a changeset of its own with runInTransaction: false"),

	CONCURRENT_IN_TRANSACTION("concurrent-in-transaction",
			"CONCURRENTLY cannot run inside a transaction block: the changeset would fail",
			"Set runInTransaction: false on the changeset (and keep the statement alone in it)"),

	CONSTRAINT_NOT_VALID("constraint-not-valid",
			"Adding a foreign key or check constraint scans the whole table under a lock that blocks writes",
			"Add it with NOT VALID, then VALIDATE CONSTRAINT in a later changeset (validation does not block writes)"),

	SET_NOT_NULL("set-not-null",
			"SET NOT NULL scans the whole table under an ACCESS EXCLUSIVE lock (no reads or writes meanwhile)",
			"Add CHECK (col IS NOT NULL) NOT VALID, VALIDATE it in a later changeset, then SET NOT NULL (PostgreSQL 12+ "
					+ "skips the scan) and drop the check"),

	TABLE_REWRITE("table-rewrite",
			"This change rewrites the whole table under an ACCESS EXCLUSIVE lock (no reads or writes until it ends)",
			"Add a new column, backfill it in batches, switch the application over, then drop the old one; use a "
					+ "constant default (metadata-only since PostgreSQL 11) and widen varchar/numeric instead of "
					+ "changing types"),

	UNIQUE_WITHOUT_INDEX("unique-without-index",
			"Adding a unique or primary key constraint builds its index under a lock that blocks writes",
			"CREATE UNIQUE INDEX CONCURRENTLY first (runInTransaction: false), then ADD CONSTRAINT ... USING INDEX"),

	BREAKING_RENAME_DROP("breaking-rename-drop",
			"Renaming or dropping a table or column breaks the version still running during a rollout",
			"Expand and contract: add the new name, write both, move readers, and drop the old one in a later "
					+ "release; suppress with a reason when no running version uses it"),

	BACKFILL_WITH_DDL("backfill-with-ddl",
			"UPDATE/DELETE in the same transaction as DDL on that table holds the DDL's lock for the whole backfill",
			"Put the backfill in a changeset of its own (and batch it for large tables)"),

	BLOCKING_MAINTENANCE("blocking-maintenance",
			"VACUUM FULL, CLUSTER, LOCK TABLE and REINDEX without CONCURRENTLY lock the table for their whole run",
			"Use REINDEX CONCURRENTLY, pg_repack for VACUUM FULL/CLUSTER, and no explicit LOCK TABLE"),

	SUPPRESSION_WITHOUT_REASON("suppression-without-reason",
			"A lockstep:allow comment without a reason hides a finding without saying why",
			"Write the reason after the rule id: lockstep:allow <rule-id> -- <why it is safe here>");

	private final String id;

	private final String why;

	private final String fix;

	LintRule(String id, String why, String fix) {
		this.id = id;
		this.why = why;
		this.fix = fix;
	}

	public String id() {
		return this.id;
	}

	public String why() {
		return this.why;
	}

	public String fix() {
		return this.fix;
	}

	/** The rule with this id, or {@code null}. */
	public static LintRule byId(String id) {
		for (LintRule rule : values()) {
			if (rule.id.equals(id)) {
				return rule;
			}
		}
		return null;
	}

}
