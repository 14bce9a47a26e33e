package dev.lockstep.core.command;

import java.util.Objects;

import liquibase.command.CommandScope;
import liquibase.command.core.TagCommandStep;
import liquibase.command.core.helpers.DbUrlConnectionArgumentsCommandStep;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import dev.lockstep.core.problem.MigrationException;
import dev.lockstep.core.problem.Wording.Command;
import dev.lockstep.core.run.Prepared;
import dev.lockstep.core.run.RunContext;

/**
 * {@code tag}: tags the current state under the lock.
 */
public final class TagCommand {

	private static final Logger logger = LoggerFactory.getLogger("dev.lockstep.Migrations");

	private final RunContext context;

	public TagCommand(RunContext context) {
		this.context = context;
	}

	public void tag(String name) {
		Objects.requireNonNull(name, "name");
		Prepared prepared = this.context.prepare();
		if (prepared.report().status().appliedCount() == 0) {
			throw new MigrationException("Cannot tag an empty history: nothing has been applied yet.",
					(wording) -> "Apply changesets first ('" + wording.command(Command.UPDATE, "", false)
							+ "'), then tag.");
		}
		this.context.lockedRun().locked(prepared, (session) -> {
			CommandSupport.run(this.context, session.database(), prepared, () -> {
				CommandScope tag = new CommandScope(TagCommandStep.COMMAND_NAME);
				tag.addArgumentValue(DbUrlConnectionArgumentsCommandStep.DATABASE_ARG, session.database());
				tag.addArgumentValue(TagCommandStep.TAG_ARG, name);
				tag.execute();
			});
			return null;
		});
		logger.info("Tagged the current state as {}", name);
	}

}
