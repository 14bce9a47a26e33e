package dev.lockstep.core.command;

import java.sql.Connection;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Collectors;

import liquibase.change.Change;
import liquibase.change.core.CreateTableChange;
import liquibase.change.core.DropTableChange;
import liquibase.change.core.RenameTableChange;
import liquibase.changelog.ChangeSet;
import liquibase.database.Database;

import dev.lockstep.core.api.AppliedChangeSet;
import dev.lockstep.core.problem.Wording.Option;
import dev.lockstep.core.problem.Wording.Command;
import dev.lockstep.core.api.HistoryReport;
import dev.lockstep.core.problem.MigrationException;
import dev.lockstep.core.run.SchemaCollisions;
import dev.lockstep.core.status.StatusReader;

/**
 * What {@code baseline} refuses without {@code --force}: recording changesets as applied on a history that already
 * has rows (pending changesets there are normally meant to run), or recording changesets that create a table the
 * database does not have (the schema would then lack their changes while every check says up to date). Tables made
 * by raw SQL are not looked at.
 */
final class BaselineGuard {

	private BaselineGuard() {
	}

	static void check(Connection connection, Database database, HistoryReport report, List<ChangeSet> plan) {
		int applied = report.status().appliedCount();
		if (applied > 0) {
			AppliedChangeSet newest = report.status().current();
			throw new MigrationException("The history already has " + applied + " changeset(s) (newest: "
					+ ((newest != null) ? newest.ref() : "?") + "): baseline is for adopting a database whose "
					+ "history is empty, and would record the " + plan.size() + " changeset(s) listed as applied "
					+ "without running them. Nothing was changed.",
					(wording) -> "Run them with '" + wording.command(Command.UPDATE, "", false) + "'. Only if their "
							+ "changes are already in the schema (made by other means), record them with '"
							+ wording.command(Command.BASELINE, wording.option(Option.FORCE), false) + "'.");
		}
		List<String> missing = missingTables(connection, database, plan);
		if (!missing.isEmpty()) {
			throw new MigrationException("Baseline would record changesets that create tables the database does "
					+ "not have, so the schema would lack them while every check says up to date. Nothing was "
					+ "changed." + missing.stream().map((text) -> "\n  - " + text).collect(Collectors.joining()),
					(wording) -> "Baseline only what the schema already has: " + wording.option(Option.TO_TAG)
							+ "=<the release the existing schema matches> (then '"
							+ wording.command(Command.UPDATE, "", false) + "' runs the rest), or point the command at "
							+ "the right database/schema. Use " + wording.option(Option.FORCE) + " only if those "
							+ "tables exist under other means.");
		}
	}

	/**
	 * The tables the planned changesets create (following renames and drops within the plan) that do not exist,
	 * each with the changeset that creates it.
	 */
	private static List<String> missingTables(Connection connection, Database database, List<ChangeSet> plan) {
		Map<String, Created> created = new LinkedHashMap<>();
		for (ChangeSet changeSet : plan) {
			for (Change change : changeSet.getChanges()) {
				if (change instanceof CreateTableChange createTable) {
					created.put(key(createTable.getSchemaName(), createTable.getTableName()),
							new Created(createTable.getSchemaName(), createTable.getTableName(), changeSet));
				}
				else if (change instanceof RenameTableChange rename) {
					Created old = created.remove(key(rename.getSchemaName(), rename.getOldTableName()));
					if (old != null) {
						created.put(key(rename.getSchemaName(), rename.getNewTableName()),
								new Created(old.schema(), rename.getNewTableName(), old.changeSet()));
					}
				}
				else if (change instanceof DropTableChange drop) {
					created.remove(key(drop.getSchemaName(), drop.getTableName()));
				}
			}
		}
		SchemaCollisions.ExistingTables existing = new SchemaCollisions.ExistingTables(connection, database);
		List<String> missing = new ArrayList<>();
		for (Created table : created.values()) {
			if (!existing.contains(table.schema(), table.name())) {
				missing.add(((table.schema() != null) ? table.schema() + "." : "") + table.name()
						+ " (created by changeset " + StatusReader.ref(table.changeSet()) + ")");
			}
		}
		return missing;
	}

	private static String key(String schema, String table) {
		return (String.valueOf(schema) + "." + table).toLowerCase(Locale.ROOT);
	}

	private record Created(String schema, String name, ChangeSet changeSet) {
	}

}
