package dev.lockstep.core.changelog;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import liquibase.RuntimeEnvironment;
import liquibase.change.Change;
import liquibase.changelog.ChangeLogIterator;
import liquibase.changelog.ChangeSet;
import liquibase.changelog.DatabaseChangeLog;
import liquibase.changelog.filter.ChangeSetFilterResult;
import liquibase.changelog.filter.ContextChangeSetFilter;
import liquibase.changelog.filter.DbmsChangeSetFilter;
import liquibase.changelog.filter.IgnoreChangeSetFilter;
import liquibase.changelog.filter.LabelChangeSetFilter;
import liquibase.changelog.visitor.ChangeSetVisitor;
import liquibase.database.Database;
import liquibase.resource.ResourceAccessor;
import liquibase.sql.Sql;
import liquibase.sqlgenerator.SqlGeneratorFactory;

import dev.lockstep.core.api.ChangeSetRef;
import dev.lockstep.core.api.PendingChangeSet;
import dev.lockstep.core.api.PendingSql;
import dev.lockstep.core.problem.DatabaseUnavailableException;

/**
 * Generates, for review, the SQL that pending changesets would run, from the changes themselves: nothing is
 * executed, so no lock is needed.
 */
public final class PendingSqlGenerator {

	/**
	 * Scope values under which changes only generate their SQL: {@code executeCommand} and {@code output} changes
	 * would otherwise run their command or print while their statements are generated.
	 */
	public static final Map<String, Object> GENERATE_ONLY = Map.of(Change.SHOULD_EXECUTE, Boolean.FALSE);

	private final ResourceAccessor resources;

	public PendingSqlGenerator(ResourceAccessor resources) {
		this.resources = resources;
	}

	public List<PendingSql> generate(Database database, LoadedChangeLog loaded, List<PendingChangeSet> pending)
			throws Exception {
		Map<String, PendingChangeSet> wanted = new HashMap<>();
		pending.forEach((changeSet) -> wanted.put(changeSet.ref().key(), changeSet));
		List<PendingSql> result = new ArrayList<>();
		LiquibaseScope.call(this.resources, database, GENERATE_ONLY, () -> {
			new ChangeLogIterator(loaded.changeLog(), new ContextChangeSetFilter(loaded.contexts()),
					new LabelChangeSetFilter(loaded.labels()), new DbmsChangeSetFilter(database),
					new IgnoreChangeSetFilter())
				.run(new ChangeSetVisitor() {

					@Override
					public Direction getDirection() {
						return Direction.FORWARD;
					}

					@Override
					public void visit(ChangeSet changeSet, DatabaseChangeLog changeLog, Database db,
							java.util.Set<ChangeSetFilterResult> filterResults) {
						PendingChangeSet match = wanted.get(ChangeSetRef.key(changeSet));
						if (match != null) {
							result.add(new PendingSql(match, sqlOf(changeSet, database), changeSet.isRunInTransaction(),
									changeSet.getComments(), List.of()));
						}
					}

				}, new RuntimeEnvironment(database, loaded.contexts(), loaded.labels()));
			return null;
		});
		return result;
	}

	/**
	 * The SQL a changeset would run, statement by statement (a change whose SQL cannot be generated without
	 * running it gives a comment line saying so). Call it within a Liquibase scope with {@link #GENERATE_ONLY}
	 * (an {@code sqlFile} reads its file through the scope's resources).
	 */
	public static List<String> sqlOf(ChangeSet changeSet, Database database) {
		List<String> statements = new ArrayList<>();
		for (Change change : changeSet.getChanges()) {
			try {
				for (Sql sql : SqlGeneratorFactory.getInstance().generateSql(change, database)) {
					statements.add(sql.toSql());
				}
			}
			catch (RuntimeException ex) {
				statements.add("-- " + change.getDescription() + ": SQL cannot be generated without running it ("
						+ DatabaseUnavailableException.rootMessage(ex) + ")");
			}
		}
		return statements;
	}

}
