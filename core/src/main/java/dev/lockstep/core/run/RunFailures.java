package dev.lockstep.core.run;

import java.sql.Connection;
import java.sql.SQLException;

import liquibase.changelog.ChangeSet;
import liquibase.database.Database;
import liquibase.database.jvm.JdbcConnection;
import liquibase.exception.LockException;

import org.jspecify.annotations.Nullable;

import dev.lockstep.core.jdbc.SessionLoss;
import dev.lockstep.core.problem.ChangeSetFailedException;
import dev.lockstep.core.problem.DatabaseErrors;
import dev.lockstep.core.problem.LockTimeoutException;
import dev.lockstep.core.problem.LockWaitInterruptedException;
import dev.lockstep.core.problem.MigrationException;
import dev.lockstep.core.problem.MigrationLockLostException;
import dev.lockstep.core.status.StatusReader;

/**
 * Tells what a failure of Liquibase work means, by type and SQLState: a lost lock session, a failed changeset, a
 * lock wait that gave up ({@link LockException}) or was interrupted, or the failure itself. Only the lock
 * service's interrupted wait is still told by its message, until it throws a type of its own.
 */
final class RunFailures {

	private RunFailures() {
	}

	/**
	 * The problem to report for a failure of Liquibase work: a lost lock, a failed changeset, an interrupted wait,
	 * or the failure itself.
	 */
	static MigrationException translate(Exception ex, @Nullable ProgressLog progress, @Nullable Database database,
			String displayUrl) {
		if (ex instanceof MigrationException migrationException) {
			return migrationException;
		}
		MigrationException lockLost = lockLost(ex, progress, database);
		if (lockLost != null) {
			return lockLost;
		}
		if (progress != null && progress.failedChangeSet() != null) {
			ChangeSet failed = progress.failedChangeSet();
			boolean rolledBack = failed.isRunInTransaction() && database != null
					&& database.supportsDDLInTransaction();
			return new ChangeSetFailedException(StatusReader.ref(failed), DatabaseErrors.message(progress.failure()),
					progress.applied(), rolledBack, ex);
		}
		String message = DatabaseErrors.message(ex);
		boolean interrupted = Thread.currentThread().isInterrupted() || message.contains("Interrupted while waiting");
		if (!interrupted && lockWaitFailed(ex)) {
			return new LockTimeoutException("Timed out waiting for the migration lock: " + message,
					"Wait for that Liquibase run to finish, or release its lock if it is gone.", null);
		}
		if (interrupted) {
			return new LockWaitInterruptedException();
		}
		return new MigrationException("Migration of " + displayUrl + " failed: " + message,
				"Fix the cause named above and start again; changesets applied before the failure stay applied.",
				ex);
	}

	/**
	 * Whether Liquibase gave up waiting for its lock row: a {@link LockException} of its own (one that wraps a
	 * database error is a broken connection, not a wait).
	 */
	private static boolean lockWaitFailed(Throwable ex) {
		for (Throwable cause = ex; cause != null; cause = (cause.getCause() != cause) ? cause.getCause() : null) {
			if (cause instanceof LockException) {
				return !(cause.getCause() instanceof SQLException)
						&& !(cause.getCause() instanceof liquibase.exception.DatabaseException);
			}
		}
		return false;
	}

	/**
	 * A locked run (one with progress) on PostgreSQL whose session ended: the advisory lock ended with it, and so
	 * did the run.
	 */
	private static @Nullable MigrationException lockLost(Exception ex, @Nullable ProgressLog progress,
			@Nullable Database database) {
		if (progress == null || !(database instanceof liquibase.database.core.PostgresDatabase)) {
			return null;
		}
		Connection connection = (database.getConnection() instanceof JdbcConnection jdbc)
				? jdbc.getUnderlyingConnection() : null;
		Throwable ended = SessionLoss.find(ex, connection);
		if (ended == null) {
			return null;
		}
		ChangeSet running = (progress.failedChangeSet() != null) ? progress.failedChangeSet() : progress.running();
		boolean rolledBack = running == null || running.isRunInTransaction();
		return new MigrationLockLostException((running != null) ? StatusReader.ref(running) : null, rolledBack,
				progress.applied(), SessionLoss.describe(ended), ex);
	}

}
