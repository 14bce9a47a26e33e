package dev.lockstep.command;

import java.util.List;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.context.event.ApplicationStartedEvent;
import org.springframework.context.ApplicationListener;
import org.springframework.context.ConfigurableApplicationContext;

import dev.lockstep.autoconfigure.MigrationsProperties;
import dev.lockstep.core.MigrationCommands;
import dev.lockstep.core.MigrationEngine;

/**
 * Runs the migrations command once the context is ready and before the application's own runners, then exits
 * the process with the command's exit code.
 */
public class MigrationsCommandRunner implements ApplicationListener<ApplicationStartedEvent> {

	@Override
	public void onApplicationEvent(ApplicationStartedEvent event) {
		ConfigurableApplicationContext context = event.getApplicationContext();
		if (context.getEnvironment().getProperty(MigrationsCommandEnvironmentPostProcessor.COMMAND_PROPERTY) == null) {
			return;
		}
		int code = execute(context, List.of(event.getArgs()));
		System.out.flush();
		System.exit(SpringApplication.exit(context, () -> code));
	}

	static int execute(ConfigurableApplicationContext context, List<String> args) {
		List<String> commandArgs = args.subList(args.indexOf(CommandLine.PREFIX), args.size());
		if (context.getBeanNamesForType(MigrationEngine.class).length == 0) {
			System.err.println("migrations: Lockstep is not active in this application (migrations.enabled=false, "
					+ "or no DataSource). Nothing was done.");
			return CommandExecutor.FAILED;
		}
		MigrationEngine engine = context.getBean(MigrationEngine.class);
		String changeLog = context.getBean(MigrationsProperties.class).getChangeLog();
		return new CommandExecutor(new MigrationCommands(engine), changeLog, System.out, System.err)
			.execute(commandArgs);
	}

}
