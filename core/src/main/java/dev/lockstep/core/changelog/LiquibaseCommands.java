package dev.lockstep.core.changelog;

import liquibase.command.CommandScope;
import liquibase.command.core.helpers.DatabaseChangelogCommandStep;
import liquibase.command.core.helpers.DbUrlConnectionArgumentsCommandStep;
import liquibase.database.Database;

/**
 * Builds Liquibase commands with the arguments every Lockstep run passes the same way: the database, the parsed
 * changelog, its parameters, contexts and labels.
 */
public final class LiquibaseCommands {

	private LiquibaseCommands() {
	}

	public static CommandScope create(String[] name, Database database, LoadedChangeLog changeLog)
			throws liquibase.exception.CommandExecutionException {
		CommandScope command = new CommandScope(name);
		command.addArgumentValue(DbUrlConnectionArgumentsCommandStep.DATABASE_ARG, database);
		command.addArgumentValue(DatabaseChangelogCommandStep.CHANGELOG_ARG, changeLog.changeLog());
		command.addArgumentValue(DatabaseChangelogCommandStep.CHANGELOG_FILE_ARG, changeLog.location());
		command.addArgumentValue(DatabaseChangelogCommandStep.CONTEXTS_ARG, changeLog.contexts().toString());
		command.addArgumentValue(DatabaseChangelogCommandStep.LABEL_FILTER_ARG, changeLog.labels().getOriginalString());
		command.addArgumentValue(DatabaseChangelogCommandStep.CHANGELOG_PARAMETERS, changeLog.parameters());
		return command;
	}

}
