package dev.lockstep.command;

import java.io.PrintStream;
import java.util.List;

import org.jspecify.annotations.Nullable;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.context.event.ApplicationStartedEvent;
import org.springframework.context.ApplicationListener;

import dev.lockstep.core.targets.MigrationsRegistry;

/**
 * Runs the migrations command once the context is ready and before the application's own runners, then exits
 * the process with the command's exit code. Registered only when the application was started with
 * {@code migrations <command>}.
 */
public class MigrationsCommandRunner implements ApplicationListener<ApplicationStartedEvent> {

	private final @Nullable MigrationsRegistry registry;

	/**
	 * @param registry the application's targets, or {@code null} when Lockstep is not active in this application
	 */
	public MigrationsCommandRunner(@Nullable MigrationsRegistry registry) {
		this.registry = registry;
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
		if (this.registry == null) {
			err.println("migrations: Lockstep is not active in this application (migrations.enabled=false, "
					+ "or no DataSource). Nothing was done.");
			return CommandExecutor.FAILED;
		}
		return new CommandExecutor(this.registry, out, err).execute(commandArgs);
	}

}
