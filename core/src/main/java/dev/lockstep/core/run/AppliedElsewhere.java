package dev.lockstep.core.run;

import java.sql.Connection;
import java.sql.SQLException;
import java.time.Duration;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.BooleanSupplier;

import liquibase.change.CheckSum;
import liquibase.changelog.ChangeSet;

import org.jspecify.annotations.Nullable;

import dev.lockstep.core.api.AppliedChangeSet;
import dev.lockstep.core.api.ChangeSetRef;
import dev.lockstep.core.api.HistoryReport;
import dev.lockstep.core.changelog.LiquibaseScope;
import dev.lockstep.core.changelog.LoadedChangeLog;
import dev.lockstep.core.fingerprint.HistoryRows;
import dev.lockstep.core.jdbc.DatabaseSessions;
import dev.lockstep.core.problem.MigrationException;
import dev.lockstep.core.status.StatusReader;

/**
 * While waiting for the lock, whether the changesets this instance found pending have all been applied by the
 * lock's holder, so this instance is up to date without taking the lock. Checks the history every 50 ms on one
 * connection kept for the wait, so that a follower is released within a poll of the leader's last commit.
 */
final class AppliedElsewhere implements BooleanSupplier, AutoCloseable {

	private final RunContext context;

	private final Set<String> wanted;

	/** The changelog the wanted changesets were found pending in. */
	private final @Nullable LoadedChangeLog changeLog;

	private @Nullable Connection connection;

	private long nextCheck = System.nanoTime();

	/** Applied, but with other checksums: this instance must take the lock and refuse. */
	private boolean appliedDifferently;

	private AppliedElsewhere(RunContext context, Set<String> wanted, @Nullable LoadedChangeLog changeLog) {
		this.context = context;
		this.wanted = wanted;
		this.changeLog = changeLog;
	}

	/**
	 * Only for never-applied changesets: re-run ones (runAlways, runOnChange) need the lock. Applied with other
	 * content (the holder's changeset differs from this changelog's) is not done: this instance then takes the lock
	 * and its locked read refuses the checksum mismatch, as it would have without waiting.
	 * @return the check, or {@code null} when the pending changesets cannot be done elsewhere
	 */
	static @Nullable AppliedElsewhere of(RunContext context, HistoryReport report) {
		boolean onlyNew = report.alwaysRun().isEmpty() && report.status()
			.pending()
			.stream()
			.allMatch((pending) -> pending.reason().equals(StatusReader.NOT_APPLIED));
		if (!onlyNew) {
			return null;
		}
		Set<String> wanted = new HashSet<>();
		report.status().pending().forEach((pending) -> wanted.add(pending.ref().key()));
		return new AppliedElsewhere(context, wanted, context.parsedChangeLog());
	}

	@Override
	public boolean getAsBoolean() {
		if (this.appliedDifferently) {
			return false;
		}
		long now = System.nanoTime();
		if (now - this.nextCheck < 0) {
			return false;
		}
		this.nextCheck = now + Duration.ofMillis(50).toNanos();
		try {
			if (this.connection == null) {
				this.connection = this.context.sessions().open(RunContext.STATUS_CONNECTION_NAME);
				this.connection.setAutoCommit(true);
			}
			HistoryRows rows = HistoryRows.read(this.connection, this.context.history());
			if (rows == null) {
				return false;
			}
			Set<String> applied = new HashSet<>();
			rows.rows().forEach((row) -> applied.add(row.ref().key()));
			if (!applied.containsAll(this.wanted)) {
				return false;
			}
			this.appliedDifferently = !sameChecksums(rows.rows());
			return !this.appliedDifferently;
		}
		catch (SQLException | MigrationException ex) {
			close();
			return false;
		}
	}

	/** Whether each wanted changeset was applied with the checksum this changelog gives it. */
	private boolean sameChecksums(List<AppliedChangeSet> rows) {
		if (this.changeLog == null) {
			return false;
		}
		Map<String, ChangeSet> declared = new HashMap<>();
		for (ChangeSet changeSet : this.changeLog.changeLog().getChangeSets()) {
			String key = ChangeSetRef.key(changeSet);
			if (this.wanted.contains(key)) {
				declared.put(key, changeSet);
			}
		}
		try {
			return LiquibaseScope.call(this.context.resources(), null, () -> {
				for (AppliedChangeSet row : rows) {
					ChangeSet changeSet = declared.get(row.ref().key());
					if (changeSet == null || row.checksum() == null) {
						continue;
					}
					CheckSum stored = CheckSum.parse(row.checksum());
					if (!this.changeLog.checksum(changeSet, stored.getVersion()).equals(stored)
							&& !changeSet.isCheckSumValid(stored)) {
						return false;
					}
				}
				return true;
			});
		}
		catch (Exception ex) {
			// Cannot tell: the locked read decides.
			return false;
		}
	}

	@Override
	public void close() {
		DatabaseSessions.closeQuietly(this.connection);
		this.connection = null;
	}

}
