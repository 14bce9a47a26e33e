package dev.lockstep.core.command;

import java.io.ByteArrayOutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

import liquibase.command.CommandScope;
import liquibase.command.core.GenerateChangelogCommandStep;
import liquibase.command.core.helpers.DbUrlConnectionArgumentsCommandStep;
import liquibase.command.core.helpers.DiffOutputControlCommandStep;
import liquibase.command.core.helpers.PreCompareCommandStep;

import dev.lockstep.core.changelog.LiquibaseScope;
import dev.lockstep.core.drift.SchemaRecordStore;
import dev.lockstep.core.problem.Wording.Setting;
import dev.lockstep.core.problem.Wording.Option;
import dev.lockstep.core.fingerprint.VerifiedState;
import dev.lockstep.core.problem.MigrationException;
import dev.lockstep.core.run.InFlightChangeSets;
import dev.lockstep.core.run.RunContext;
import dev.lockstep.core.status.LastRunStore;

/**
 * {@code generate-changelog}: writes a changelog of the existing schema (YAML, XML or SQL, by the file's
 * extension), leaving out the migration history and Lockstep's own tables.
 */
public final class GenerateChangelogCommand {

	private final RunContext context;

	public GenerateChangelogCommand(RunContext context) {
		this.context = context;
	}

	public Path generate(Path output) {
		if (Files.exists(output)) {
			throw new MigrationException(output + " already exists.",
					(wording) -> "Choose another " + wording.option(Option.OUTPUT) + " file, or remove it.");
		}
		this.context.prepare();
		this.context.withRunSession((database) -> {
			LiquibaseScope.call(this.context.resources(), database, Map.of(), () -> {
				CommandScope generate = new CommandScope(GenerateChangelogCommandStep.COMMAND_NAME);
				generate.addArgumentValue(DbUrlConnectionArgumentsCommandStep.DATABASE_ARG, database);
				generate.addArgumentValue(GenerateChangelogCommandStep.CHANGELOG_FILE_ARG, output.toString());
				generate.addArgumentValue(GenerateChangelogCommandStep.AUTHOR_ARG, "lockstep-baseline");
				generate.addArgumentValue(PreCompareCommandStep.EXCLUDE_OBJECTS_ARG,
						"(?i)" + LastRunStore.TABLE + "|" + InFlightChangeSets.TABLE + "|" + VerifiedState.TABLE
								+ "|" + SchemaRecordStore.TABLE + "|databasechangelog|databasechangeloglock");
				generate.addArgumentValue(DiffOutputControlCommandStep.INCLUDE_SCHEMA_ARG, false);
				generate.setOutput(new ByteArrayOutputStream());
				generate.execute();
				return null;
			});
			return null;
		});
		if (!Files.exists(output)) {
			// Liquibase writes no file at all when it finds nothing to describe.
			throw new MigrationException("The database " + this.context.displayUrl() + " has no tables, views or "
					+ "other objects to describe (besides the migration history): nothing was written to " + output
					+ ".", (wording) -> "Point the command at the database the existing schema lives in ("
							+ wording.setting(Setting.DATABASE) + ").");
		}
		return output;
	}

}
