package dev.lockstep.core.run;

import java.sql.Connection;
import java.sql.SQLException;
import java.time.Duration;
import java.util.List;

import liquibase.change.Change;
import liquibase.changelog.ChangeSet;
import liquibase.database.Database;
import liquibase.database.core.PostgresDatabase;
import liquibase.database.jvm.JdbcConnection;
import liquibase.sql.Sql;
import liquibase.sqlgenerator.SqlGeneratorFactory;

import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import dev.lockstep.core.api.DdlSettings;
import dev.lockstep.core.api.UpdateTarget;
import dev.lockstep.core.changelog.PendingSqlGenerator;
import dev.lockstep.core.ddl.Blocker;
import dev.lockstep.core.ddl.BlockerSampler;
import dev.lockstep.core.ddl.InvalidIndexes;
import dev.lockstep.core.ddl.LockTimeouts;
import dev.lockstep.core.ddl.SessionLockTimeout;
import dev.lockstep.core.lint.SqlStatements;
import dev.lockstep.core.problem.ChangeSetLockTimeoutException;
import dev.lockstep.core.problem.DatabaseErrors;
import dev.lockstep.core.problem.LockWaitInterruptedException;
import dev.lockstep.core.problem.MigrationException;
import dev.lockstep.core.status.StatusReader;

/**
 * Runs an update so that its DDL never queues the application's queries: every statement waits for its locks at
 * most {@link DdlSettings#lockTimeout()}; a changeset that timed out was rolled back (each commits with its history
 * row, see {@link AtomicChangeSets}) and the update is run again from it after a pause (backoff with jitter), up to
 * {@link DdlSettings#retries()} times; then the run fails naming who held the lock. Before a changeset that creates
 * an index concurrently runs, an INVALID index of that name (left by a failed try) is dropped concurrently.
 */
final class LockTimeoutRetries {

	private static final Logger logger = LoggerFactory.getLogger("dev.lockstep.Migrations");

	private static final String SAMPLER_CONNECTION_NAME = "lockstep-watchdog";

	private final RunContext context;

	LockTimeoutRetries(RunContext context) {
		this.context = context;
	}

	/**
	 * Runs the update to the target, again from the changeset that timed out as long as retries remain.
	 * @param database the run's database
	 * @param plan the changesets the update runs, in order
	 * @param progress the run's progress (shared by every try)
	 * @param target how far the update goes
	 * @param update runs one try of the update to the given target
	 */
	void run(Database database, List<ChangeSet> plan, ProgressLog progress, UpdateTarget target, Update update)
			throws Exception {
		DdlSettings ddl = this.context.ddl();
		Connection connection = (database instanceof PostgresDatabase
				&& database.getConnection() instanceof JdbcConnection jdbc) ? jdbc.getUnderlyingConnection() : null;
		if (connection == null) {
			update.run(target);
			return;
		}
		if (!ddl.limitsLockWaits()) {
			dropInvalidIndexes(connection, database, plan);
			update.run(target);
			return;
		}
		try (SessionLockTimeout timeout = SessionLockTimeout.set(connection, ddl.lockTimeout());
				BlockerSampler sampler = BlockerSampler.start(connection,
						() -> this.context.sessions().open(SAMPLER_CONNECTION_NAME), ddl.lockTimeout())) {
			List<ChangeSet> toCheck = plan;
			UpdateTarget current = target;
			for (int retry = 1;; retry++) {
				try {
					dropInvalidIndexes(connection, database, toCheck);
					update.run(current);
					return;
				}
				catch (Exception ex) {
					if (!LockTimeouts.isLockTimeout(ex)) {
						throw ex;
					}
					ChangeSet failed = progress.failedChangeSet();
					Blocker blocker = sampler.lastBlocker();
					if (retry > ddl.retries()) {
						throw gaveUp(ex, failed, progress, database, retry, ddl, blocker);
					}
					Duration pause = LockTimeouts.pauseBefore(retry);
					logger.warn("Changeset {} timed out waiting {} ms for a lock held by {}; {}, retry {}/{} in {} ms",
							name(failed), ddl.lockTimeout().toMillis(),
							(blocker != null) ? blocker.describe() : "another session (not seen)",
							(failed == null || failed.isRunInTransaction()) ? "rolled back" : "stopped", retry,
							ddl.retries(), pause.toMillis());
					this.context.events().ddlLockRetried((failed != null) ? name(failed) : null, retry);
					if (failed != null) {
						// The next try starts at the failed changeset: only it may have left an INVALID index.
						toCheck = List.of(failed);
						current = remaining(target, plan, failed);
					}
					progress.retrying();
					pause(pause);
				}
			}
		}
	}

	/**
	 * What the next try runs: the same target, except that a count shrinks by the changesets applied so far (a
	 * run-always changeset before the failed one runs again, and counts again).
	 */
	static UpdateTarget remaining(UpdateTarget target, List<ChangeSet> plan, @Nullable ChangeSet failed) {
		Integer count = target.count();
		if (count == null || failed == null) {
			return target;
		}
		int index = plan.indexOf(failed);
		if (index < 0) {
			return target;
		}
		int again = (int) plan.subList(0, index).stream().filter(ChangeSet::shouldAlwaysRun).count();
		return UpdateTarget.count(plan.size() - index + again);
	}

	private MigrationException gaveUp(Exception ex, @Nullable ChangeSet failed, ProgressLog progress,
			Database database, int tries, DdlSettings ddl, @Nullable Blocker blocker) {
		String who = (blocker != null) ? blocker.describe() : null;
		if (failed == null) {
			return new MigrationException("The migration could not get a lock within the lock timeout ("
					+ ddl.lockTimeout().toMillis() + " ms) in " + tries + " tries; blocked by "
					+ ((who != null) ? who : "a session that was not seen") + ": " + DatabaseErrors.message(ex),
					"End that session's transaction (or wait until it ends), then start again; or raise the lock "
							+ "timeout or retries, or run the migration when traffic is low.",
					ex);
		}
		boolean rolledBack = failed.isRunInTransaction() && database.supportsDDLInTransaction();
		ChangeSetLockTimeoutException problem = new ChangeSetLockTimeoutException(StatusReader.ref(failed),
				DatabaseErrors.message((progress.failure() != null) ? progress.failure() : ex), progress.applied(),
				rolledBack, tries, ddl.lockTimeout(), who, ex);
		logger.error("{}", problem.getMessage());
		return problem;
	}

	/** Drops the INVALID indexes the changesets are about to build concurrently. */
	private static void dropInvalidIndexes(Connection connection, Database database, List<ChangeSet> changeSets)
			throws SQLException {
		for (ChangeSet changeSet : changeSets) {
			for (String statement : statements(changeSet, database)) {
				InvalidIndexes.ConcurrentIndex index = InvalidIndexes.createdConcurrently(statement);
				if (index != null) {
					InvalidIndexes.dropIfInvalid(connection, index, name(changeSet));
				}
			}
		}
	}

	/** The SQL statements the changeset's changes render to; none for a change that cannot render here. */
	private static List<String> statements(ChangeSet changeSet, Database database) {
		List<String> statements = new java.util.ArrayList<>();
		for (Change change : changeSet.getChanges()) {
			try {
				// Only render: an executeCommand or output change would otherwise run while it renders.
				Sql[] rendered = liquibase.Scope.child(PendingSqlGenerator.GENERATE_ONLY,
						() -> SqlGeneratorFactory.getInstance().generateSql(change, database));
				for (Sql sql : rendered) {
					statements.addAll(SqlStatements.split(sql.toSql()));
				}
			}
			catch (Exception ex) {
				// A change that renders only when it runs (e.g. a custom change): it creates no index by SQL.
				logger.debug("Could not render changeset {} for the INVALID index check: {}", name(changeSet),
						ex.getMessage());
			}
		}
		return statements;
	}

	private static String name(@Nullable ChangeSet changeSet) {
		return (changeSet != null) ? changeSet.getId() + "::" + changeSet.getAuthor() + " (" + changeSet.getFilePath()
				+ ")" : "(none)";
	}

	private static void pause(Duration pause) {
		try {
			Thread.sleep(pause.toMillis());
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			throw new LockWaitInterruptedException();
		}
	}

	/** One try of the update. */
	@FunctionalInterface
	interface Update {

		void run(UpdateTarget target) throws Exception;

	}

}
