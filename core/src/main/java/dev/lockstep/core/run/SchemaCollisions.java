package dev.lockstep.core.run;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

import liquibase.change.Change;
import liquibase.change.core.CreateTableChange;
import liquibase.change.core.TagDatabaseChange;
import liquibase.changelog.ChangeSet;
import liquibase.database.Database;
import liquibase.structure.core.Table;

import dev.lockstep.core.api.ChangeSetRef;
import dev.lockstep.core.problem.Wording;
import dev.lockstep.core.problem.Wording.Option;
import dev.lockstep.core.problem.Wording.Command;
import dev.lockstep.core.problem.Phrase;
import dev.lockstep.core.api.HistoryReport;
import dev.lockstep.core.api.PendingChangeSet;
import dev.lockstep.core.changelog.LoadedChangeLog;
import dev.lockstep.core.problem.SchemaMismatchException;

/**
 * Refuses, before anything runs, an update whose changesets would create tables that already exist: typically a
 * database that hand-written startup code built, which must be adopted with {@code baseline} instead of failing
 * half-way with "relation already exists". Changesets with preconditions are left alone: their authors decided.
 */
public final class SchemaCollisions {

	private SchemaCollisions() {
	}

	public static void check(Connection connection, Database database, LoadedChangeLog changeLog, HistoryReport report) {
		Map<String, ChangeSet> declared = new HashMap<>();
		for (ChangeSet changeSet : changeLog.changeLog().getChangeSets()) {
			declared.put(ChangeSetRef.key(changeSet.getFilePath(), changeSet.getId(), changeSet.getAuthor()), changeSet);
		}
		List<String> collisions = new ArrayList<>();
		ExistingTables existing = new ExistingTables(connection, database);
		ChangeSet lastCollision = null;
		for (PendingChangeSet pending : report.status().pending()) {
			ChangeSet changeSet = declared.get(ChangeSetRef.key(pending.changeLog(), pending.id(), pending.author()));
			if (changeSet == null || hasPreconditions(changeSet)) {
				continue;
			}
			for (Change change : changeSet.getChanges()) {
				if (change instanceof CreateTableChange createTable
						&& existing.contains(createTable.getSchemaName(), createTable.getTableName())) {
					collisions.add(createTable.getTableName() + " (changeset " + pending.ref() + ")");
					lastCollision = changeSet;
				}
			}
		}
		if (collisions.isEmpty()) {
			return;
		}
		String tables = collisions.stream().map((text) -> "\n  - " + text).collect(Collectors.joining());
		if (report.status().appliedCount() == 0) {
			ChangeSet last = lastCollision;
			throw new SchemaMismatchException(Phrase.of("The database already has tables this changelog would "
					+ "create, but no migration history: it was built by other means (e.g. startup code). Nothing "
					+ "was changed." + tables),
					(wording) -> "Adopt the existing schema: run '" + wording.command(Command.GENERATE_CHANGELOG,
							wording.option(Option.OUTPUT) + "=existing.yaml", true) + "' to review what exists, then "
							+ baselineAdvice(changeLog, last, wording) + " to record the changesets that built it "
							+ "as applied without running them, then start again.",
					report.status());
		}
		throw new SchemaMismatchException(Phrase.of("Pending changesets would create tables that already exist "
				+ "(created outside the migrations?). Nothing was changed." + tables),
				(wording) -> "Drop or rename the existing tables, or mark those changesets as applied with '"
						+ wording.command(Command.BASELINE, wording.option(Option.TO_TAG) + "=<tag>", true)
						+ "', or give them a precondition.",
				report.status());
	}

	/**
	 * {@code baseline --to-tag=T} with the first tag the changelog declares after the last changeset that would
	 * create an existing table (the release the existing schema most likely matches); plain {@code baseline} only
	 * when no tag follows, since it records every changeset, including later ones the schema may lack.
	 */
	private static String baselineAdvice(LoadedChangeLog changeLog, ChangeSet lastCollision, Wording wording) {
		List<ChangeSet> changeSets = changeLog.changeLog().getChangeSets();
		int from = changeSets.indexOf(lastCollision);
		for (int i = Math.max(from, 0); i < changeSets.size(); i++) {
			for (Change change : changeSets.get(i).getChanges()) {
				if (change instanceof TagDatabaseChange tag && tag.getTag() != null) {
					return "'" + wording.command(Command.BASELINE, wording.option(Option.TO_TAG) + "=" + tag.getTag(),
							true) + "' (the first release "
							+ "tag after the changesets that create those tables; use the tag of the release the "
							+ "existing schema matches)";
				}
			}
		}
		return "'" + wording.command(Command.BASELINE, "", true) + "' (it records every changeset: if the existing "
				+ "schema matches only the first part of the changelog, tag that part with a tagDatabase changeset and "
				+ "use " + wording.option(Option.TO_TAG) + ")";
	}

	private static boolean hasPreconditions(ChangeSet changeSet) {
		return changeSet.getPreconditions() != null && !changeSet.getPreconditions().getNestedPreconditions().isEmpty();
	}

	/**
	 * The tables and views of each schema asked about, listed with one catalog query per schema rather than one per
	 * table (an update of a thousand new tables would otherwise pay a thousand round trips).
	 */
	public static final class ExistingTables {

		private final Connection connection;

		private final Database database;

		private final Map<String, Set<String>> bySchema = new HashMap<>();

		public ExistingTables(Connection connection, Database database) {
			this.connection = connection;
			this.database = database;
		}

		public boolean contains(String schema, String table) {
			String schemaName = (schema != null) ? schema : this.database.getDefaultSchemaName();
			String correctedSchema = (schemaName != null)
					? this.database.correctObjectName(schemaName, liquibase.structure.core.Schema.class) : null;
			Set<String> tables = this.bySchema.computeIfAbsent(String.valueOf(correctedSchema),
					(key) -> list(correctedSchema));
			return tables.contains(this.database.correctObjectName(table, Table.class));
		}

		private Set<String> list(String schema) {
			Set<String> names = new HashSet<>();
			try (ResultSet tables = this.connection.getMetaData()
				.getTables(null, schema, "%", new String[] { "TABLE", "VIEW" })) {
				while (tables.next()) {
					names.add(tables.getString("TABLE_NAME"));
				}
			}
			catch (SQLException ex) {
				// Cannot tell: let the update itself report a collision.
			}
			return names;
		}

	}

}
