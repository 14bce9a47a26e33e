package dev.lockstep.command;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.jspecify.annotations.Nullable;

/**
 * {@code migrations <command> [--option=value ...]}, parsed and checked against the command's options.
 *
 * @param command the command
 * @param options the options given, without the leading dashes
 */
record CommandLine(MigrationsCommand command, Map<String, String> options) {

	/** The word that switches an application into command mode. */
	static final String PREFIX = "migrations";

	/** The options that pick where a command runs, taken by every command but {@code help}. */
	static final List<String> TARGET_OPTIONS = List.of("target", "tenant", "all-tenants");

	static boolean isCommand(List<String> args) {
		return !args.isEmpty() && PREFIX.equals(args.get(0));
	}

	/**
	 * Parses the arguments after {@code migrations}. Spring Boot options (e.g. {@code --spring.profiles.active})
	 * pass through untouched.
	 * @throws UsageException for an unknown command or option
	 */
	static CommandLine parse(List<String> args) {
		if (args.size() < 2) {
			throw new UsageException("No command given.");
		}
		MigrationsCommand command = MigrationsCommand.named(args.get(1));
		Map<String, String> options = new LinkedHashMap<>();
		for (String arg : args.subList(2, args.size())) {
			if (!arg.startsWith("--")) {
				throw new UsageException("Unexpected argument '" + arg + "' for 'migrations " + command.commandName()
						+ "'. Options look like --name=value.");
			}
			String option = arg.substring(2);
			int equals = option.indexOf('=');
			String name = (equals >= 0) ? option.substring(0, equals) : option;
			String value = (equals >= 0) ? option.substring(equals + 1) : "true";
			if (command.options().contains(name) || (command.takesTargetOptions() && TARGET_OPTIONS.contains(name))) {
				options.put(name, value);
			}
			else if (!isSpringOption(name)) {
				throw new UsageException("Unknown option --" + name + " for 'migrations " + command.commandName()
						+ "'. " + command.usage());
			}
		}
		return new CommandLine(command, options);
	}

	private static boolean isSpringOption(String name) {
		// Application configuration given on the command line, e.g. --spring.profiles.active=prod.
		return name.contains(".");
	}

	@Nullable String option(String name) {
		return this.options.get(name);
	}

	/** An option the command cannot do without. */
	String required(String name) {
		String value = this.options.get(name);
		if (value == null || value.isBlank() || value.equals("true")) {
			throw new UsageException("--" + name + "=... is required. " + this.command.usage());
		}
		return value;
	}

	boolean json() {
		String format = this.options.getOrDefault("format", "text");
		if (!format.equals("text") && !format.equals("json")) {
			throw new UsageException("Unknown --format=" + format + ": use text or json.");
		}
		return format.equals("json");
	}

	/** A switch such as {@code --dry-run} (or {@code --dry-run=true|false}). */
	boolean flag(String name) {
		String value = this.options.get(name);
		if (value == null || value.equals("false")) {
			return false;
		}
		if (!value.equals("true")) {
			throw new UsageException("--" + name + " takes no value (or true/false), not '" + value + "'.");
		}
		return true;
	}

	@Nullable Integer intOption(String name) {
		String value = this.options.get(name);
		if (value == null) {
			return null;
		}
		try {
			return Integer.valueOf(value);
		}
		catch (NumberFormatException ex) {
			throw new UsageException("--" + name + " must be a whole number, not '" + value + "'.");
		}
	}

}
