package dev.lockstep.core.run;

import java.sql.Connection;

import liquibase.database.jvm.JdbcConnection;
import liquibase.exception.DatabaseException;

import org.jspecify.annotations.Nullable;

/**
 * Liquibase's JDBC connection, able to hold commits back while one changeset runs, so that the changeset's
 * statements and its DATABASECHANGELOG row commit together.
 * <p>
 * Liquibase 4.33 commits a transactional changeset when its changes have run ({@code ChangeSet.execute}) and only
 * then writes and commits its history row; a process killed between the two commits leaves the changeset applied
 * but not recorded. While a hold is on ({@link #holdCommits()}), {@link #commit()} defers instead of committing:
 * the transaction stays open. The hold ends in exactly one of three ways:
 * <ul>
 * <li>{@link #releaseForHistoryRow()}, right before the history row is written: Liquibase's own commit after the
 * row then commits the changeset's statements and the row in one transaction;</li>
 * <li>{@link #endHold(boolean) endHold(true)}, when the changeset completed without a row (a precondition with
 * {@code onFail: CONTINUE}, changes skipped for this database): the deferred commit is carried out, as Liquibase
 * would have done it;</li>
 * <li>{@link #endHold(boolean) endHold(false)}, when the changeset or the command failed: the deferred work is
 * rolled back, never committed without its row.</li>
 * </ul>
 * {@link #rollback()} always goes through. Without a hold this connection behaves exactly like Liquibase's.
 */
public class AtomicChangeSetConnection extends JdbcConnection {

	private volatile boolean holding;

	/** A commit was asked for during the hold and not carried out yet. */
	private volatile boolean deferred;

	private volatile @Nullable AtomicChangeSets run;

	public AtomicChangeSetConnection(Connection connection) {
		super(connection);
	}

	/** Starts holding commits back; called when a changeset that runs in a transaction is about to run. */
	void holdCommits() {
		this.holding = true;
		this.deferred = false;
	}

	boolean isHolding() {
		return this.holding;
	}

	/**
	 * Ends the hold right before the history row is written: the next commit (Liquibase's, after the row) commits
	 * everything the changeset did together with its row.
	 */
	void releaseForHistoryRow() {
		this.holding = false;
		this.deferred = false;
	}

	/**
	 * Ends the hold without a history row.
	 * @param commitDeferred whether a commit deferred during the hold is carried out now ({@code true}: the
	 * changeset completed, writing no row) or its work rolled back ({@code false}: the changeset or the command
	 * failed)
	 */
	void endHold(boolean commitDeferred) throws DatabaseException {
		if (!this.holding) {
			return;
		}
		boolean pending = this.deferred;
		this.holding = false;
		this.deferred = false;
		if (commitDeferred && pending) {
			super.commit();
		}
		else if (!commitDeferred) {
			super.rollback();
		}
	}

	/** The run that uses this connection, while it runs changesets. */
	AtomicChangeSets run() {
		return this.run;
	}

	void attach(AtomicChangeSets run) {
		this.run = run;
	}

	@Override
	public void commit() throws DatabaseException {
		if (this.holding) {
			this.deferred = true;
			return;
		}
		super.commit();
	}

	@Override
	public void rollback() throws DatabaseException {
		// Always goes through; the work a deferred commit would have committed is gone with it.
		this.deferred = false;
		super.rollback();
	}

	@Override
	public void setAutoCommit(boolean autoCommit) throws DatabaseException {
		if (autoCommit && this.holding) {
			// The driver commits the open transaction when auto-commit is switched on: the hold cannot outlive that.
			// Liquibase does so only for changesets that do not run in a transaction, which are never held.
			this.holding = false;
			this.deferred = false;
		}
		super.setAutoCommit(autoCommit);
	}

}
