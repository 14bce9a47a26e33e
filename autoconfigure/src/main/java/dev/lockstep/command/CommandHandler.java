package dev.lockstep.command;

/**
 * Runs one command verb and prints its result.
 */
@FunctionalInterface
interface CommandHandler {

	/**
	 * Runs the command.
	 * @param line the parsed command line
	 * @return the exit code
	 */
	int run(CommandLine line);

}
