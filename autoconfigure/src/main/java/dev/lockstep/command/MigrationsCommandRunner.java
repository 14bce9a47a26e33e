package dev.lockstep.command;

import java.io.PrintStream;
import java.util.List;

import org.jspecify.annotations.Nullable;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.context.event.ApplicationStartedEvent;
import org.springframework.context.ApplicationListener;

import dev.lockstep.core.MigrationCommands;
import dev.lockstep.core.MigrationEngine;
import dev.lockstep.core.api.MigrationMode;

/**
 * Runs the migrations command once the context is ready and before the application's own runners, then exits
 * the process with the command's exit code. Registered only when the application was started with
 * {@code migrations <command>}.
 */
public class MigrationsCommandRunner implements ApplicationListener<ApplicationStartedEvent> {

	private final @Nullable MigrationEngine engine;

	private final String changeLog;

	private final MigrationMode mode;

	/**
	 * @param engine the engine, or {@code null} when Lockstep is not active in this application
	 * @param changeLog the configured master changelog
	 * @param mode the configured mode, shown in {@code status --format=json}
	 */
	public MigrationsCommandRunner(@Nullable MigrationEngine engine, String changeLog, MigrationMode mode) {
		this.engine = engine;
		this.changeLog = changeLog;
		this.mode = mode;
	}

	@Override
	public void onApplicationEvent(ApplicationStartedEvent event) {
		int code = execute(List.of(event.getArgs()), System.out, System.err);
		System.out.flush();
		System.exit(SpringApplication.exit(event.getApplicationContext(), () -> code));
	}

	/**
	 * Runs the command the arguments name ({@code ... migrations <command> [--option=value]}), without exiting.
	 * @return the exit code
	 */
	public int execute(List<String> args, PrintStream out, PrintStream err) {
		int start = args.indexOf(CommandLine.PREFIX);
		List<String> commandArgs = (start >= 0) ? args.subList(start, args.size()) : List.of(CommandLine.PREFIX);
		if (this.engine == null) {
			err.println("migrations: Lockstep is not active in this application (migrations.enabled=false, "
					+ "or no DataSource). Nothing was done.");
			return CommandExecutor.FAILED;
		}
		return new CommandExecutor(new MigrationCommands(this.engine), this.changeLog, this.mode, out, err)
			.execute(commandArgs);
	}

}
