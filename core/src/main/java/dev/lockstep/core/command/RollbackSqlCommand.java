package dev.lockstep.core.command;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import liquibase.command.CommandScope;

import dev.lockstep.core.api.RollbackPlan;
import dev.lockstep.core.api.RollbackTarget;
import dev.lockstep.core.changelog.LiquibaseScope;
import dev.lockstep.core.run.Prepared;
import dev.lockstep.core.run.RunContext;

/**
 * {@code rollback-sql}: the SQL a rollback would run, exactly as Liquibase would run it. Nothing runs.
 */
public final class RollbackSqlCommand {

	private static final Pattern AGAINST = Pattern.compile("(?m)^-- Against: .*$");

	private final RunContext context;

	private final RollbackCommand rollback;

	public RollbackSqlCommand(RunContext context, RollbackCommand rollback) {
		this.context = context;
		this.rollback = rollback;
	}

	public String script(RollbackTarget target) {
		Prepared prepared = this.context.prepare();
		RollbackPlan plan = this.rollback.plan(prepared, target);
		return this.context.withRunSession((database) -> {
			ByteArrayOutputStream output = new ByteArrayOutputStream();
			LiquibaseScope.call(this.context.resources(), database, Map.of(), () -> {
				CommandScope command = RollbackCommand.liquibaseCommand(target, plan, true, database, prepared);
				command.setOutput(output);
				command.execute();
				return null;
			});
			// Parameter values (possibly secrets) as ${name}, unless they are to be shown; Liquibase's
			// "Against: user@url" header names the database as everywhere else, without user or query parameters.
			String script = AGAINST.matcher(output.toString(StandardCharsets.UTF_8))
				.replaceAll(Matcher.quoteReplacement("-- Against: " + this.context.displayUrl()));
			return this.context.parameterMasker(prepared.changeLog()).mask(script);
		});
	}

}
