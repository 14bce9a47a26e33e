package dev.lockstep.command;

import java.io.PrintStream;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;

import org.jspecify.annotations.Nullable;

import dev.lockstep.core.MigrationCommands;
import dev.lockstep.core.api.MigrationMode;
import dev.lockstep.core.problem.DatabaseErrors;
import dev.lockstep.core.problem.MigrationException;
import dev.lockstep.core.targets.MigrationsRegistry;

/**
 * Parses {@code migrations <command> [--option=value]}, hands the command to its handler (one per verb) and turns
 * a failure into one line on stderr saying what went wrong and what to do. Handlers print aligned tables for
 * people and {@code --format=json} for scripts. {@code --target}, {@code --tenant} and {@code --all-tenants} pick
 * the database ({@link CommandTargets}); on all tenants of a target the command runs per tenant.
 */
public final class CommandExecutor {

	/** Exit code: done. */
	public static final int OK = 0;

	/** Exit code: {@code check} found the schema out of date, or {@code diff} found drift. */
	public static final int NOT_UP_TO_DATE = 1;

	/** Exit code: {@code lint} (or {@code check}) found error-level lint findings. */
	public static final int LINT_ERRORS = 1;

	/** Exit code: wrong usage. */
	public static final int USAGE = 2;

	/** Exit code: the command failed. */
	public static final int FAILED = 3;

	private final CommandTargets targets;

	private final PrintStream out;

	private final PrintStream err;

	/**
	 * An executor for an application in the default mode ({@code apply}).
	 */
	public CommandExecutor(MigrationCommands commands, String changeLog, PrintStream out, PrintStream err) {
		this(commands, changeLog, MigrationMode.APPLY, out, err);
	}

	/**
	 * @param commands the core's commands
	 * @param changeLog the configured master changelog
	 * @param mode the configured mode, shown in {@code status --format=json}
	 * @param out where results go
	 * @param err where errors go
	 */
	public CommandExecutor(MigrationCommands commands, String changeLog, MigrationMode mode, PrintStream out,
			PrintStream err) {
		this(CommandTargets.single(commands, changeLog, mode), out, err);
	}

	/**
	 * An executor for every target of the application: {@code --target=NAME} picks one (default: {@code default}),
	 * {@code --tenant=ID} or {@code --all-tenants} the tenants of a target that has them.
	 * @param registry the application's targets
	 * @param out where results go
	 * @param err where errors go
	 */
	public CommandExecutor(MigrationsRegistry registry, PrintStream out, PrintStream err) {
		this(CommandTargets.of(registry), out, err);
	}

	private CommandExecutor(CommandTargets targets, PrintStream out, PrintStream err) {
		this.targets = targets;
		this.out = out;
		this.err = err;
	}

	/**
	 * The commands, as typed after {@code migrations} (e.g. {@code update}), in the order {@code migrations help}
	 * lists them: for checking scripts and manifests that call them.
	 * @return the command names
	 */
	public static List<String> commandNames() {
		return Arrays.stream(MigrationsCommand.values()).map(MigrationsCommand::commandName).toList();
	}

	/**
	 * The options a command accepts, without the leading dashes (e.g. {@code to-tag} for {@code update}).
	 * Application configuration options ({@code --spring.profiles.active=prod}) are accepted by every command, and
	 * {@link #targetOptionNames()} by every command but {@code help}.
	 * @param command a command name
	 * @return its options
	 * @throws IllegalArgumentException for an unknown command
	 */
	public static List<String> optionNames(String command) {
		return MigrationsCommand.named(command).options();
	}

	/**
	 * The options that pick where a command runs: {@code target}, {@code tenant} and {@code all-tenants}.
	 * @return their names, without the leading dashes
	 */
	public static List<String> targetOptionNames() {
		return CommandLine.TARGET_OPTIONS;
	}

	/** Parses the arguments ({@code migrations <command> ...}) and runs the command. */
	public int execute(List<String> args) {
		CommandLine line;
		try {
			line = CommandLine.parse(args);
		}
		catch (UsageException ex) {
			this.err.println("migrations: " + ex.getMessage());
			this.err.print(MigrationsCommand.help());
			return USAGE;
		}
		String command = "migrations " + line.command().commandName() + ": ";
		try {
			CommandScope scope = (line.command() == MigrationsCommand.HELP) ? null : this.targets.select(line);
			if (scope instanceof CommandScope.AllTenants all) {
				return new AllTenantsHandler(all.target(), this.out).run(line);
			}
			return handler(line.command(), (CommandScope.One) scope).run(line);
		}
		catch (UsageException ex) {
			this.err.println(command + ex.getMessage());
			return USAGE;
		}
		catch (IllegalArgumentException ex) {
			this.err.println(command + CommandProblems.describe(ex));
			return USAGE;
		}
		catch (MigrationException ex) {
			this.err.println(command + CommandProblems.describe(ex));
			return FAILED;
		}
		catch (RuntimeException ex) {
			this.err.println(command + "failed: " + OneLine.of(DatabaseErrors.message(ex)));
			return FAILED;
		}
	}

	private CommandHandler handler(MigrationsCommand command, CommandScope.@Nullable One scope) {
		if (scope == null) {
			return (line) -> print(MigrationsCommand.help());
		}
		MigrationCommands commands = scope.commands();
		return switch (command) {
			case HELP -> (line) -> print(MigrationsCommand.help());
			case STATUS -> new StatusHandler(commands, scope.changeLog(), scope.mode(), scope.label(), this.out, false);
			case CHECK -> new StatusHandler(commands, scope.changeLog(), scope.mode(), scope.label(), this.out, true);
			case HISTORY -> new HistoryHandler(commands, this.out);
			case UPDATE -> new UpdateHandler(scope, this.out);
			case SQL -> (line) -> print(commands.updateSql());
			case LINT -> new LintHandler(commands, this.out);
			case ROLLBACK -> new RollbackHandler(commands, this.out);
			case ROLLBACK_SQL -> (line) -> print(commands.rollbackSql(RollbackTargets.of(line)));
			case TAG -> (line) -> {
				String name = line.required("name");
				commands.tag(name);
				return print("Tagged the current state as " + name + ".\n");
			};
			case BASELINE -> new BaselineHandler(commands, this.out);
			case GENERATE_CHANGELOG -> (line) -> {
				Path output = commands.generateChangelog(Path.of(line.required("output")));
				return print("Wrote a changelog of the existing schema to " + output.toAbsolutePath()
						+ ". Review it, include it in your master changelog, then run 'migrations baseline'.\n");
			};
			case DIFF -> new DiffHandler(commands, this.out);
		};
	}

	private int print(String text) {
		this.out.print(text);
		return OK;
	}

}
