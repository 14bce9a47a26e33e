package dev.lockstep.core.changelog;

import java.util.logging.Level;

import liquibase.logging.LogService;
import liquibase.logging.Logger;
import liquibase.logging.core.AbstractLogService;
import liquibase.logging.core.AbstractLogger;

import dev.lockstep.core.problem.DatabaseErrors;

/**
 * Liquibase's logging, without the row data of database errors and without the failed statement: Liquibase logs a
 * failed changeset's exception ({@code ChangeSet ... encountered an exception}) with pgjdbc's
 * {@code Detail: Key (email)=(...)} and {@code [Failed SQL: ...]}, which holds the values substituted for changelog
 * parameters (possibly secrets), in its message and in its causes' messages: both go
 * ({@link DatabaseErrors#redact(String)}). Lockstep's own failure line names the changeset instead. The stack traces
 * stay as they are.
 */
final class RedactingLogService extends AbstractLogService {

	private final LogService delegate;

	RedactingLogService(LogService delegate) {
		this.delegate = delegate;
	}

	@Override
	public int getPriority() {
		return this.delegate.getPriority();
	}

	@Override
	public Logger getLog(Class clazz) {
		return new RedactingLogger(this.delegate.getLog(clazz));
	}

	@Override
	public void close() {
		// The delegate belongs to the enclosing scope.
	}

	private static final class RedactingLogger extends AbstractLogger {

		private final Logger delegate;

		RedactingLogger(Logger delegate) {
			this.delegate = delegate;
		}

		@Override
		public void log(Level level, String message, Throwable ex) {
			this.delegate.log(level, DatabaseErrors.redact(message), redact(ex, 0));
		}

		/** A copy of the exception and its causes with their messages redacted, or the same when nothing changed. */
		private static Throwable redact(Throwable ex, int depth) {
			if (ex == null || depth > 20) {
				return null;
			}
			Throwable cause = (ex.getCause() != ex) ? redact(ex.getCause(), depth + 1) : null;
			String message = ex.getMessage();
			String clean = DatabaseErrors.redact(message);
			if (java.util.Objects.equals(message, clean) && cause == ex.getCause()) {
				return ex;
			}
			return new Cleaned(ex, clean, cause);
		}

	}

	/** Stands in for an exception whose message was redacted: same class name and stack trace in the log. */
	private static final class Cleaned extends Exception {

		private final String text;

		Cleaned(Throwable original, String message, Throwable cause) {
			super(message, cause, false, false);
			this.text = original.getClass().getName() + ((message != null) ? ": " + message : "");
			setStackTrace(original.getStackTrace());
		}

		@Override
		public String toString() {
			return this.text;
		}

	}

}
