package dev.lockstep.core.run;

import java.util.concurrent.TimeUnit;

import liquibase.changelog.ChangeSet;
import liquibase.changelog.ChangeSet.ExecType;
import liquibase.changelog.ChangeSet.RunStatus;
import liquibase.changelog.DatabaseChangeLog;
import liquibase.changelog.visitor.AbstractChangeExecListener;
import liquibase.database.Database;

import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import dev.lockstep.core.ddl.LockTimeouts;
import dev.lockstep.core.problem.DatabaseErrors;
import dev.lockstep.core.problem.DatabaseUnavailableException;

/**
 * Logs one line per changeset ({@code [3/12] changeset id::author (file) 41 ms}) and remembers what it needs to
 * describe a failure: how many ran before it, and which one failed.
 */
public final class ProgressLog extends AbstractChangeExecListener {

	private static final Logger logger = LoggerFactory.getLogger("dev.lockstep.Migrations");

	private final int total;

	private int position;

	private int applied;

	private int failedAndSkipped;

	private long startedNanos;

	private @Nullable ChangeSet failed;

	private @Nullable ChangeSet running;

	private @Nullable Exception failure;

	public ProgressLog(int total) {
		this.total = total;
	}

	@Override
	public void willRun(ChangeSet changeSet, DatabaseChangeLog databaseChangeLog, Database database,
			RunStatus runStatus) {
		this.startedNanos = System.nanoTime();
		this.running = changeSet;
	}

	@Override
	public void ran(ChangeSet changeSet, DatabaseChangeLog databaseChangeLog, Database database, ExecType execType) {
		this.position++;
		this.running = null;
		long millis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - this.startedNanos);
		if (execType == ExecType.FAILED) {
			// failOnError="false": Liquibase rolled it back, records nothing and tries it again on the next update.
			logger.warn("[{}/{}] changeset {}::{} ({}) failed and was skipped (failOnError=false; not recorded, "
					+ "retried on the next run): {} {} ms", this.position, Math.max(this.total, this.position),
					changeSet.getId(), changeSet.getAuthor(), changeSet.getFilePath(),
					DatabaseErrors.redact(changeSet.getErrorMsg()), millis);
			this.failedAndSkipped++;
			return;
		}
		this.applied++;
		String outcome = switch (execType) {
			case MARK_RAN -> " marked ran (precondition)";
			case RERAN -> " re-ran";
			default -> "";
		};
		logger.info("[{}/{}] changeset {}::{} ({}){} {} ms", this.position, Math.max(this.total, this.position),
				changeSet.getId(), changeSet.getAuthor(), changeSet.getFilePath(), outcome, millis);
	}

	@Override
	public void runFailed(ChangeSet changeSet, DatabaseChangeLog databaseChangeLog, Database database,
			Exception exception) {
		this.failed = changeSet;
		this.failure = exception;
		if (LockTimeouts.isLockTimeout(exception)) {
			// Retried, or the run fails naming the blocker: LockTimeoutRetries tells both.
			logger.debug("Changeset {}::{} timed out waiting for a lock", changeSet.getId(), changeSet.getAuthor());
			return;
		}
		logger.error("[{}/{}] changeset {}::{} ({}) FAILED: {}", this.position + 1,
				Math.max(this.total, this.position + 1), changeSet.getId(), changeSet.getAuthor(),
				changeSet.getFilePath(), DatabaseUnavailableException.rootMessage(exception));
	}

	/** The update is tried again from the changeset that failed: it has not failed yet. */
	void retrying() {
		this.failed = null;
		this.failure = null;
		this.running = null;
	}

	public int applied() {
		return this.applied;
	}

	/** Changesets with failOnError="false" that failed: Liquibase recorded nothing for them. */
	public int failedAndSkipped() {
		return this.failedAndSkipped;
	}

	public @Nullable ChangeSet failedChangeSet() {
		return this.failed;
	}

	/** The changeset that started and has not ended, or {@code null}. */
	public @Nullable ChangeSet running() {
		return this.running;
	}

	public @Nullable Exception failure() {
		return this.failure;
	}

}
