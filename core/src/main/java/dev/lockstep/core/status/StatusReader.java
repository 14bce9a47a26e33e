package dev.lockstep.core.status;

import java.sql.Connection;
import java.sql.DatabaseMetaData;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;

import liquibase.RuntimeEnvironment;
import liquibase.change.CheckSum;
import liquibase.changelog.ChangeLogIterator;
import liquibase.changelog.ChangeSet;
import liquibase.changelog.DatabaseChangeLog;
import liquibase.changelog.RanChangeSet;
import liquibase.changelog.StandardChangeLogHistoryService;
import liquibase.changelog.filter.ContextChangeSetFilter;
import liquibase.changelog.filter.DbmsChangeSetFilter;
import liquibase.changelog.filter.IgnoreChangeSetFilter;
import liquibase.changelog.filter.LabelChangeSetFilter;
import liquibase.changelog.visitor.ChangeSetVisitor;
import liquibase.database.Database;

import dev.lockstep.core.api.AppliedChangeSet;
import dev.lockstep.core.api.ChangeSetRef;
import dev.lockstep.core.api.ChecksumMismatch;
import dev.lockstep.core.api.DatabaseInfo;
import dev.lockstep.core.api.HistoryReport;
import dev.lockstep.core.api.LockHolder;
import dev.lockstep.core.api.MigrationStatus;
import dev.lockstep.core.api.PendingChangeSet;
import dev.lockstep.core.changelog.ChangeLogLoader;
import dev.lockstep.core.changelog.LiquibaseScope;
import dev.lockstep.core.changelog.LoadedChangeLog;
import dev.lockstep.core.fingerprint.HistoryRows;
import dev.lockstep.core.jdbc.HistoryLocation;
import dev.lockstep.core.jdbc.HistoryTime;
import dev.lockstep.core.jdbc.JdbcUrls;
import dev.lockstep.core.problem.DatabaseUnavailableException;
import dev.lockstep.core.problem.MigrationException;

/**
 * Reads where the schema stands without changing anything: it never creates the history tables and takes no
 * lock. Applied, pending, unexpected and modified changesets are told apart exactly as Liquibase's update tells
 * them apart.
 */
public final class StatusReader {

	/** Reason of a pending changeset that never ran. */
	public static final String NOT_APPLIED = "not applied yet";

	private final ChangeLogLoader loader;

	private final LastRunStore lastRuns;

	private final HistoryLocation history;

	public StatusReader(ChangeLogLoader loader, LastRunStore lastRuns, HistoryLocation history) {
		this.loader = loader;
		this.lastRuns = lastRuns;
		this.history = history;
	}

	public ChangeLogLoader loader() {
		return this.loader;
	}

	/**
	 * Reads the history on the given database and compares it with the loaded changelog.
	 * @param database the database to read
	 * @param changeLog the changelog to compare with
	 * @param lockHolder reads the current lock holder from a connection
	 */
	public HistoryReport read(Database database, LoadedChangeLog changeLog, Function<Connection, LockHolder> lockHolder) {
		try {
			return LiquibaseScope.call(this.loader.resources(), database,
					() -> compare(database, changeLog, lockHolder));
		}
		catch (MigrationException ex) {
			throw ex;
		}
		catch (Exception ex) {
			throw new DatabaseUnavailableException(describe(database), ex);
		}
	}

	private HistoryReport compare(Database database, LoadedChangeLog loaded, Function<Connection, LockHolder> lockHolder)
			throws Exception {
		List<RanChangeSet> history = readHistory(database);
		Map<String, RanChangeSet> latestRun = new HashMap<>();
		for (RanChangeSet ran : history) {
			// Rows come oldest first: a later row for the same changeset replaces an earlier one, as in Liquibase.
			latestRun.put(ChangeSetRef.key(ran), ran);
		}
		List<PendingChangeSet> pending = new ArrayList<>();
		List<ChecksumMismatch> mismatches = new ArrayList<>();
		List<ChangeSetRef> alwaysRun = new ArrayList<>();
		ChangeLogIterator selected = new ChangeLogIterator(loaded.changeLog(),
				new ContextChangeSetFilter(loaded.contexts()), new LabelChangeSetFilter(loaded.labels()),
				new DbmsChangeSetFilter(database), new IgnoreChangeSetFilter());
		selected.run(new Collector((changeSet) -> {
			RanChangeSet ran = latestRun.get(ChangeSetRef.key(changeSet));
			if (ran == null || !ChangeSetRef.isSameAs(ran, changeSet)) {
				pending.add(pending(changeSet, NOT_APPLIED));
			}
			else if (changeSet.shouldAlwaysRun()) {
				alwaysRun.add(ref(changeSet));
			}
			else if (ran.getLastCheckSum() != null && checksumChanged(loaded, changeSet, ran.getLastCheckSum())) {
				if (changeSet.shouldRunOnChange()) {
					pending.add(pending(changeSet, "changed since it ran (runOnChange)"));
				}
				else if (!changeSet.isCheckSumValid(ran.getLastCheckSum())) {
					mismatches.add(new ChecksumMismatch(changeSet.getId(), changeSet.getAuthor(),
							changeSet.getFilePath(), ran.getLastCheckSum().toString(),
							loaded.checksum(changeSet, ran.getLastCheckSum().getVersion()).toString()));
				}
			}
		}), new RuntimeEnvironment(database, loaded.contexts(), loaded.labels()));
		List<AppliedChangeSet> unexpected = unexpected(history, loaded.changeLog());
		Connection connection = ((liquibase.database.jvm.JdbcConnection) database.getConnection())
			.getUnderlyingConnection();
		LockHolder holder = lockHolder.apply(connection);
		List<AppliedChangeSet> applied = exactTimes(connection,
				history.stream().map(StatusReader::applied).toList());
		AppliedChangeSet current = applied.isEmpty() ? null : applied.get(applied.size() - 1);
		String currentTag = null;
		for (int i = history.size() - 1; i >= 0 && currentTag == null; i--) {
			currentTag = history.get(i).getTag();
		}
		DatabaseInfo info = databaseInfo(database, connection);
		var lastRuns = this.lastRuns.read(connection);
		// Last: a failed catalog read must not spoil the reads before it.
		MigrationStatus status = new MigrationStatus(MigrationStatus.stateOf(pending, unexpected, mismatches), info,
				current, currentTag, history.size(), pending, unexpected, mismatches, holder, Instant.now(),
				InvalidIndexList.read(connection, info.schema()));
		return new HistoryReport(status, applied, alwaysRun, lastRuns);
	}

	/**
	 * The same rows with their times read exactly: Liquibase's rows carry the driver's conversion through this JVM's
	 * zone, which cannot tell apart the wall-clock times that zone skips (a daylight saving gap). One plain query,
	 * used when it returns the very same rows.
	 */
	private List<AppliedChangeSet> exactTimes(Connection connection, List<AppliedChangeSet> applied) {
		if (applied.isEmpty()) {
			return applied;
		}
		HistoryRows exact = HistoryRows.read(connection, this.history);
		return (exact != null && exact.sameChangeSets(applied)) ? exact.rows() : applied;
	}

	private static List<RanChangeSet> readHistory(Database database) throws Exception {
		// A history service of our own: Liquibase's shared one would cache rows across reads and threads.
		StandardChangeLogHistoryService service = new StandardChangeLogHistoryService();
		service.setDatabase(database);
		return service.getRanChangeSets();
	}

	private static List<AppliedChangeSet> unexpected(List<RanChangeSet> history, DatabaseChangeLog changeLog) {
		Set<String> declared = new HashSet<>();
		for (ChangeSet changeSet : changeLog.getChangeSets()) {
			declared.add(ChangeSetRef.key(changeSet));
		}
		List<AppliedChangeSet> unexpected = new ArrayList<>();
		for (RanChangeSet ran : history) {
			if (!declared.contains(ChangeSetRef.key(ran))) {
				unexpected.add(applied(ran));
			}
		}
		return unexpected;
	}

	private static boolean checksumChanged(LoadedChangeLog loaded, ChangeSet changeSet, CheckSum stored) {
		return !loaded.checksum(changeSet, stored.getVersion()).equals(stored);
	}

	static PendingChangeSet pending(ChangeSet changeSet, String reason) {
		return new PendingChangeSet(changeSet.getId(), changeSet.getAuthor(), changeSet.getFilePath(),
				changeSet.getDescription(), text(changeSet.getContextFilter()), text(changeSet.getLabels()), reason);
	}

	public static ChangeSetRef ref(ChangeSet changeSet) {
		return new ChangeSetRef(changeSet.getId(), changeSet.getAuthor(), changeSet.getFilePath());
	}

	static AppliedChangeSet applied(RanChangeSet ran) {
		return new AppliedChangeSet(ran.getId(), ran.getAuthor(), ran.getChangeLog(), ran.getDescription(),
				ran.getTag(), HistoryTime.fromDriver(ran.getDateExecuted()), ran.getDeploymentId(),
				(ran.getOrderExecuted() != null) ? ran.getOrderExecuted() : 0,
				(ran.getExecType() != null) ? ran.getExecType().name() : null,
				(ran.getLastCheckSum() != null) ? ran.getLastCheckSum().toString() : null,
				AppliedChangeSet.isBaselined((ran.getExecType() != null) ? ran.getExecType().name() : null,
						ran.getComments()));
	}

	private static String text(liquibase.ContextExpression contexts) {
		return (contexts == null || contexts.isEmpty()) ? "" : contexts.toString();
	}

	private static String text(liquibase.Labels labels) {
		return (labels == null || labels.isEmpty()) ? "" : labels.toString();
	}

	static DatabaseInfo databaseInfo(Database database, Connection connection) throws SQLException {
		DatabaseMetaData metaData = connection.getMetaData();
		String schema = database.getDefaultSchemaName();
		return new DatabaseInfo(metaData.getDatabaseProductName(), metaData.getDatabaseProductVersion(),
				JdbcUrls.redact(metaData.getURL()), schema);
	}

	private static String describe(Database database) {
		try {
			return JdbcUrls.redact(database.getConnection().getURL());
		}
		catch (Exception ex) {
			return "(the configured DataSource)";
		}
	}

	private static final class Collector implements ChangeSetVisitor {

		private final java.util.function.Consumer<ChangeSet> action;

		Collector(java.util.function.Consumer<ChangeSet> action) {
			this.action = action;
		}

		@Override
		public Direction getDirection() {
			return Direction.FORWARD;
		}

		@Override
		public void visit(ChangeSet changeSet, DatabaseChangeLog databaseChangeLog, Database database,
				Set<liquibase.changelog.filter.ChangeSetFilterResult> filterResults) {
			this.action.accept(changeSet);
		}

	}

}
