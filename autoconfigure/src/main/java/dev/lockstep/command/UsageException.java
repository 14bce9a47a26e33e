package dev.lockstep.command;

/**
 * The command line is wrong: an unknown command or option, or a bad value.
 */
class UsageException extends RuntimeException {

	UsageException(String message) {
		super(message);
	}

}
