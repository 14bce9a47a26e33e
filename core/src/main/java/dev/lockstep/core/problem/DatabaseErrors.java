package dev.lockstep.core.problem;

import java.lang.reflect.Method;
import java.sql.SQLException;
import java.util.regex.Pattern;

import org.jspecify.annotations.Nullable;

/**
 * Database errors as Lockstep records and shows them: the database's primary message, its SQLState and, for a
 * constraint violation, the constraint's name, but never the row data PostgreSQL adds to it ({@code DETAIL: Key
 * (email)=(ana@example.com) already exists}, {@code Failing row contains (...)}) nor the statement context
 * ({@code WHERE: SQL statement "..."}), which may hold values too. The error is recorded in LOCKSTEP_LAST_RUN and
 * shown by every instance, to anyone who may read the endpoint, the health details or the logs.
 */
public final class DatabaseErrors {

	/**
	 * pgjdbc's lines after the primary message, as it writes them ({@code "\n  Detail: ..."}), up to the next such
	 * line or the end of the line.
	 */
	private static final Pattern ROW_DATA = Pattern.compile("\\R[ \\t]+(Detail|Where): [^\\r\\n]*");

	/** What Liquibase's JdbcExecutor appends to a failed statement's error, up to the end of a line. */
	private static final Pattern FAILED_SQL = Pattern.compile("(?s) ?\\[Failed SQL: .*?\\](?=\\R|$)");

	private DatabaseErrors() {
	}

	/**
	 * The message of the exception's root cause, without row data. For a PostgreSQL error, the server's primary
	 * message, hint, SQLState and constraint, whatever the JVM's language.
	 */
	public static String message(Throwable ex) {
		Throwable root = ex;
		while (root.getCause() != null && root.getCause() != root) {
			root = root.getCause();
		}
		String server = (root instanceof SQLException sqlException) ? postgresMessage(sqlException) : null;
		if (server != null) {
			return server;
		}
		String message = root.getMessage();
		return (message != null) ? withoutRowData(message.strip()) : root.getClass().getSimpleName();
	}

	/**
	 * The text without the {@code Detail:} and {@code Where:} lines pgjdbc adds to a server error, for messages
	 * that were composed (or recorded) before they reach here.
	 */
	public static String withoutRowData(String message) {
		return (message != null) ? ROW_DATA.matcher(message).replaceAll("") : null;
	}

	/**
	 * The text without row data and without the failed statement Liquibase appends to an error ({@code [Failed
	 * SQL: (0) INSERT ...]}): that statement holds the values substituted for changelog parameters, possibly
	 * secrets. For Liquibase's own messages; Lockstep's name the changeset instead.
	 */
	public static String redact(String message) {
		return (message != null) ? FAILED_SQL.matcher(withoutRowData(message)).replaceAll("") : null;
	}

	/**
	 * Rebuilt from pgjdbc's {@code ServerErrorMessage} (read reflectively: the driver is optional), or {@code null}
	 * for other drivers and errors the server did not send.
	 */
	private static @Nullable String postgresMessage(SQLException ex) {
		Object server = invoke(ex, "getServerErrorMessage");
		if (server == null) {
			return null;
		}
		String primary = (String) invoke(server, "getMessage");
		if (primary == null) {
			return null;
		}
		String severity = (String) invoke(server, "getSeverity");
		StringBuilder message = new StringBuilder((severity != null) ? severity + ": " : "").append(primary);
		String constraint = (String) invoke(server, "getConstraint");
		String state = ex.getSQLState();
		if (state != null || (constraint != null && !primary.contains(constraint))) {
			message.append(" [");
			if (state != null) {
				message.append("SQLState ").append(state);
			}
			if (constraint != null && !primary.contains(constraint)) {
				message.append((state != null) ? ", " : "").append("constraint ").append(constraint);
			}
			message.append(']');
		}
		String hint = (String) invoke(server, "getHint");
		if (hint != null) {
			message.append("\n  Hint: ").append(hint);
		}
		return message.toString();
	}

	private static @Nullable Object invoke(Object target, String methodName) {
		try {
			Method method = target.getClass().getMethod(methodName);
			return method.invoke(target);
		}
		catch (ReflectiveOperationException | RuntimeException | LinkageError ex) {
			return null;
		}
	}

}
