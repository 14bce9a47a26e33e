package dev.lockstep.core.command;

import java.util.List;
import java.util.function.Supplier;

import dev.lockstep.core.api.PendingChangeSet;
import dev.lockstep.core.api.PendingSql;

/**
 * {@code update-sql}: the SQL of the pending changesets, as a script for review. Nothing runs and no lock is taken.
 */
public final class UpdateSqlCommand {

	private final Supplier<List<PendingSql>> pendingSql;

	private final Supplier<String> displayUrl;

	public UpdateSqlCommand(Supplier<List<PendingSql>> pendingSql, Supplier<String> displayUrl) {
		this.pendingSql = pendingSql;
		this.displayUrl = displayUrl;
	}

	public String script() {
		List<PendingSql> pending = this.pendingSql.get();
		StringBuilder script = new StringBuilder();
		script.append("-- Lockstep: SQL of ").append(pending.size()).append(" pending changeset(s) for ")
			.append(this.displayUrl.get()).append('\n');
		script.append("-- Liquibase also records each changeset in DATABASECHANGELOG when it applies it.\n");
		for (PendingSql changeSet : pending) {
			PendingChangeSet ref = changeSet.changeSet();
			script.append("\n-- Changeset ").append(ref.changeLog()).append("::").append(ref.id()).append("::")
				.append(ref.author());
			if (!changeSet.runInTransaction()) {
				script.append(" (runInTransaction: false)");
			}
			script.append('\n');
			for (String statement : changeSet.sql()) {
				script.append(statement);
				if (!statement.startsWith("--")) {
					script.append(';');
				}
				script.append('\n');
			}
		}
		return script.toString();
	}

}
