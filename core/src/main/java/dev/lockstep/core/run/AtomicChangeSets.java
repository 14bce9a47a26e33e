package dev.lockstep.core.run;

import java.sql.Connection;
import java.sql.SQLException;

import liquibase.change.Change;
import liquibase.changelog.ChangeSet;
import liquibase.changelog.ChangeSet.ExecType;
import liquibase.changelog.ChangeSet.RunStatus;
import liquibase.changelog.DatabaseChangeLog;
import liquibase.changelog.visitor.ChangeExecListener;
import liquibase.database.Database;
import liquibase.exception.DatabaseException;
import liquibase.exception.PreconditionErrorException;
import liquibase.exception.PreconditionFailedException;
import liquibase.precondition.core.PreconditionContainer;

import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import dev.lockstep.core.run.InFlightChangeSets.Operation;

/**
 * Makes each changeset of one Liquibase update or rollback command commit together with its history row, and
 * records the changesets that cannot be atomic while they run. Wraps the command's {@link ChangeExecListener}
 * (every event reaches it unchanged) and drives the {@link AtomicChangeSetConnection} of the command's database:
 * <ul>
 * <li>a changeset that runs in a transaction (on a database with transactional DDL) holds commits from
 * {@code willRun}/{@code willRollback} until {@link AtomicHistoryService} writes its row: Liquibase's commit at
 * the end of the changeset is deferred to its commit after the row;</li>
 * <li>a changeset that does not ({@code runInTransaction: false}) is recorded in {@link InFlightChangeSets} before
 * it runs, and that record is deleted with its history row;</li>
 * <li>a failed changeset ({@code runFailed}, {@code rollbackFailed}) or a failed command rolls back whatever was
 * held; a changeset that completed without a row (precondition {@code onFail: CONTINUE}, changes skipped for this
 * database) has its deferred commit carried out when the next one starts or the command ends.</li>
 * </ul>
 * Use one per command, closed when the command ends.
 */
public final class AtomicChangeSets implements ChangeExecListener, AutoCloseable {

	private static final Logger logger = LoggerFactory.getLogger("dev.lockstep.Migrations");

	private final AtomicChangeSetConnection connection;

	private final ChangeExecListener delegate;

	private final InFlightChangeSets inFlight;

	private final String recordedBy;

	/** The changeset whose in-flight record this command wrote and has not deleted yet. */
	private @Nullable ChangeSet recorded;

	private boolean completed;

	private AtomicChangeSets(AtomicChangeSetConnection connection, ChangeExecListener delegate,
			InFlightChangeSets inFlight, String recordedBy) {
		this.connection = connection;
		this.delegate = delegate;
		this.inFlight = inFlight;
		this.recordedBy = recordedBy;
	}

	/**
	 * Wraps the listener of a command about to run on the database. On a database whose connection cannot hold
	 * commits (not opened by Lockstep) the changesets run as Liquibase runs them.
	 */
	public static AtomicChangeSets around(Database database, ChangeExecListener delegate,
			InFlightChangeSets inFlight, String recordedBy) {
		AtomicChangeSetConnection connection = (database.getConnection() instanceof AtomicChangeSetConnection atomic)
				? atomic : null;
		AtomicChangeSets run = new AtomicChangeSets(connection, delegate, inFlight, recordedBy);
		if (connection != null) {
			connection.attach(run);
		}
		return run;
	}

	/** The command completed: a commit still held belongs to a changeset that completed without a row. */
	public void completed() {
		this.completed = true;
	}

	/**
	 * Ends the command: carries out a deferred commit of a changeset that completed without a row, or, when the
	 * command failed, rolls back whatever is still held, so that no hold outlives the command.
	 */
	@Override
	public void close() {
		if (this.connection == null) {
			return;
		}
		try {
			this.connection.endHold(this.completed);
		}
		catch (DatabaseException ex) {
			logger.warn("Could not end the transaction of the last changeset: {}", ex.getMessage());
		}
		finally {
			if (this.completed) {
				// Completed without a row (a precondition with onFail: CONTINUE): nothing is in flight any more.
				clearRecorded(this.recorded);
			}
			// Otherwise the record stays: the command failed after a non-transactional changeset ran and before its
			// row was written; the next run warns that it may have been partly applied.
			this.connection.attach(null);
		}
	}

	// --- called by AtomicHistoryService around the history row ---------------------------------------------------

	/**
	 * Right before the changeset's history row is written or deleted: the hold ends, so Liquibase's commit after
	 * the row commits it together with the changeset's statements; the in-flight record goes in that same
	 * transaction.
	 */
	void beforeHistoryRow(ChangeSet changeSet) throws DatabaseException {
		this.connection.releaseForHistoryRow();
		if (isRecorded(changeSet) && !this.connection.getAutoCommit()) {
			clear(changeSet);
		}
	}

	/** After the row was written: on a connection in auto-commit mode the record is deleted only now. */
	void afterHistoryRow(ChangeSet changeSet) {
		if (isRecorded(changeSet)) {
			clearRecorded(changeSet);
		}
	}

	/** Writing the row failed: the changeset's statements must not be committed without it. */
	void historyRowFailed() {
		try {
			this.connection.rollback();
		}
		catch (DatabaseException ex) {
			logger.debug("Could not roll back after the history row failed", ex);
		}
	}

	// --- ChangeExecListener ---------------------------------------------------------------------------------------

	@Override
	public void willRun(ChangeSet changeSet, DatabaseChangeLog databaseChangeLog, Database database,
			RunStatus runStatus) {
		starting(changeSet, database, Operation.APPLY);
		this.delegate.willRun(changeSet, databaseChangeLog, database, runStatus);
	}

	@Override
	public void ran(ChangeSet changeSet, DatabaseChangeLog databaseChangeLog, Database database, ExecType execType) {
		// Normally the row's commit ended the hold; if the history service was not Lockstep's (another plugin took
		// precedence) the row was written inside the hold, and this commit takes both.
		ended(changeSet, true);
		this.delegate.ran(changeSet, databaseChangeLog, database, execType);
	}

	@Override
	public void runFailed(ChangeSet changeSet, DatabaseChangeLog databaseChangeLog, Database database,
			Exception exception) {
		ended(changeSet, false);
		this.delegate.runFailed(changeSet, databaseChangeLog, database, exception);
	}

	@Override
	public void willRollback(ChangeSet changeSet, DatabaseChangeLog databaseChangeLog, Database database) {
		starting(changeSet, database, Operation.ROLLBACK);
		this.delegate.willRollback(changeSet, databaseChangeLog, database);
	}

	@Override
	public void rolledBack(ChangeSet changeSet, DatabaseChangeLog databaseChangeLog, Database database) {
		ended(changeSet, true);
		this.delegate.rolledBack(changeSet, databaseChangeLog, database);
	}

	@Override
	public void rollbackFailed(ChangeSet changeSet, DatabaseChangeLog databaseChangeLog, Database database,
			Exception exception) {
		ended(changeSet, false);
		this.delegate.rollbackFailed(changeSet, databaseChangeLog, database, exception);
	}

	@Override
	public void preconditionFailed(PreconditionFailedException error, PreconditionContainer.FailOption onFail) {
		this.delegate.preconditionFailed(error, onFail);
	}

	@Override
	public void preconditionErrored(PreconditionErrorException error, PreconditionContainer.ErrorOption onError) {
		this.delegate.preconditionErrored(error, onError);
	}

	@Override
	public void willRun(Change change, ChangeSet changeSet, DatabaseChangeLog changeLog, Database database) {
		this.delegate.willRun(change, changeSet, changeLog, database);
	}

	@Override
	public void ran(Change change, ChangeSet changeSet, DatabaseChangeLog changeLog, Database database) {
		this.delegate.ran(change, changeSet, changeLog, database);
	}

	// --- internals ------------------------------------------------------------------------------------------------

	private void starting(ChangeSet changeSet, Database database, Operation operation) {
		if (this.connection == null) {
			return;
		}
		try {
			// Still held here only after a changeset that completed without a row: commit as Liquibase would have.
			this.connection.endHold(true);
		}
		catch (DatabaseException ex) {
			throw new IllegalStateException("Could not commit the previous changeset: " + ex.getMessage(), ex);
		}
		if (this.recorded != null) {
			clearRecorded(this.recorded);
		}
		if (changeSet.isRunInTransaction() && database.supportsDDLInTransaction()) {
			this.connection.holdCommits();
			return;
		}
		Connection jdbc = this.connection.getUnderlyingConnection();
		try {
			this.inFlight.record(jdbc, changeSet, operation, this.recordedBy);
			this.recorded = changeSet;
		}
		catch (SQLException ex) {
			logger.warn("Could not record in {} that changeset {}::{} (runInTransaction: false) is running ({}); if "
					+ "this run dies in it, the next run cannot tell", InFlightChangeSets.TABLE, changeSet.getId(),
					changeSet.getAuthor(), ex.getMessage());
		}
	}

	private void ended(ChangeSet changeSet, boolean succeeded) {
		if (this.connection == null) {
			return;
		}
		try {
			this.connection.endHold(succeeded);
		}
		catch (DatabaseException ex) {
			throw new IllegalStateException("Could not commit changeset " + changeSet.getId() + "::"
					+ changeSet.getAuthor() + " with its history row: " + ex.getMessage(), ex);
		}
		finally {
			if (isRecorded(changeSet)) {
				// A failed changeset's record goes too: the run's own error says it may be partly applied.
				clearRecorded(changeSet);
			}
		}
	}

	private boolean isRecorded(ChangeSet changeSet) {
		return this.recorded != null && this.recorded == changeSet;
	}

	private void clear(ChangeSet changeSet) throws DatabaseException {
		try {
			this.inFlight.clear(this.connection.getUnderlyingConnection(), changeSet);
			this.recorded = null;
		}
		catch (SQLException ex) {
			throw new DatabaseException("Could not delete the in-flight record of changeset " + changeSet.getId()
					+ "::" + changeSet.getAuthor() + " from " + InFlightChangeSets.TABLE, ex);
		}
	}

	/** Deletes the record in a transaction of its own. */
	private void clearRecorded(ChangeSet changeSet) {
		if (changeSet == null) {
			return;
		}
		Connection jdbc = this.connection.getUnderlyingConnection();
		try {
			this.inFlight.clear(jdbc, changeSet);
			if (!jdbc.getAutoCommit()) {
				jdbc.commit();
			}
		}
		catch (SQLException ex) {
			logger.warn("Could not delete the in-flight record of changeset {}::{} from {}: {}", changeSet.getId(),
					changeSet.getAuthor(), InFlightChangeSets.TABLE, ex.getMessage());
			try {
				if (!jdbc.getAutoCommit()) {
					jdbc.rollback();
				}
			}
			catch (SQLException rollbackFailure) {
				// The connection is broken: the next statement reports it.
			}
		}
		finally {
			if (this.recorded == changeSet) {
				this.recorded = null;
			}
		}
	}

}
