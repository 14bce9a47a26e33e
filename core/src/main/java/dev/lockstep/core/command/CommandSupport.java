package dev.lockstep.core.command;

import java.sql.Connection;
import java.util.List;
import java.util.Map;

import liquibase.change.Change;
import liquibase.change.core.TagDatabaseChange;
import liquibase.changelog.ChangeSet;
import liquibase.database.Database;
import liquibase.database.jvm.JdbcConnection;

import dev.lockstep.core.api.ChangeSetRef;
import dev.lockstep.core.problem.Phrase;
import dev.lockstep.core.api.PlannedChangeSet;
import dev.lockstep.core.changelog.LiquibaseScope;
import dev.lockstep.core.changelog.LoadedChangeLog;
import dev.lockstep.core.problem.MigrationException;
import dev.lockstep.core.run.Prepared;
import dev.lockstep.core.run.RunContext;

/**
 * Checks and steps the command verbs share.
 */
final class CommandSupport {

	private CommandSupport() {
	}

	/** Refuses to go on when what is about to run is not what was shown. */
	static void requireSamePlan(List<PlannedChangeSet> shown, List<PlannedChangeSet> now) {
		List<String> shownKeys = shown.stream().map((c) -> ChangeSetRef.key(c.changeLog(), c.id(), c.author())).toList();
		List<String> nowKeys = now.stream().map((c) -> ChangeSetRef.key(c.changeLog(), c.id(), c.author())).toList();
		if (!shownKeys.equals(nowKeys)) {
			throw new MigrationException("The history changed after the plan was made (another run?): the command "
					+ "would now act on " + now.size() + " changeset(s) instead of the " + shown.size()
					+ " listed. Nothing was changed.", "Run the command again and check its new plan.");
		}
	}

	static void requireTagDeclared(LoadedChangeLog changeLog, String tag, Phrase action) {
		for (ChangeSet changeSet : changeLog.changeLog().getChangeSets()) {
			for (Change change : changeSet.getChanges()) {
				if (change instanceof TagDatabaseChange tagChange && tag.equals(tagChange.getTag())) {
					return;
				}
			}
		}
		throw new MigrationException("The changelog has no tagDatabase changeset with tag '" + tag
				+ "'. Nothing was changed.", action);
	}

	static Connection connection(Database database) {
		return ((JdbcConnection) database.getConnection()).getUnderlyingConnection();
	}

	/** Runs Liquibase work under the lock's scope values, its failures told as the run tells them. */
	static void run(RunContext context, Database database, Prepared prepared, LiquibaseWork work) {
		run(context, database, context.lockedRun().liquibaseScope(prepared.lock()), work);
	}

	static void run(RunContext context, Database database, Map<String, Object> scope, LiquibaseWork work) {
		try {
			LiquibaseScope.call(context.resources(), database, scope, () -> {
				work.run();
				return null;
			});
		}
		catch (MigrationException ex) {
			throw ex;
		}
		catch (Exception ex) {
			throw context.translate(ex, null, database);
		}
	}

	@FunctionalInterface
	interface LiquibaseWork {

		void run() throws Exception;

	}

}
