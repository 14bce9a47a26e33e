package dev.lockstep.core.api;

import java.util.List;

/**
 * A pending changeset with the SQL it would run.
 *
 * @param changeSet the pending changeset
 * @param sql the statements, in order
 * @param runInTransaction whether its statements run in one transaction
 */
public record PendingSql(PendingChangeSet changeSet, List<String> sql, boolean runInTransaction) {

	public PendingSql {
		sql = List.copyOf(sql);
	}

}
