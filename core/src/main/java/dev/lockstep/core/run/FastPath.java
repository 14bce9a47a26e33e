package dev.lockstep.core.run;

import java.io.IOException;
import java.sql.Connection;
import java.sql.DatabaseMetaData;
import java.sql.SQLException;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import liquibase.util.LiquibaseUtil;

import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import dev.lockstep.core.api.AppliedChangeSet;
import dev.lockstep.core.api.DatabaseInfo;
import dev.lockstep.core.api.HistoryReport;
import dev.lockstep.core.api.MigrationSettings;
import dev.lockstep.core.api.MigrationStatus;
import dev.lockstep.core.api.SchemaState;
import dev.lockstep.core.fingerprint.ChangeLogSources.Observation;
import dev.lockstep.core.fingerprint.ChangeLogSources;
import dev.lockstep.core.fingerprint.HistoryRows;
import dev.lockstep.core.fingerprint.RecordingResourceAccessor;
import dev.lockstep.core.fingerprint.VerifiedState;
import dev.lockstep.core.jdbc.DatabaseSessions;
import dev.lockstep.core.jdbc.JdbcUrls;
import dev.lockstep.core.lock.MigrationLock;
import dev.lockstep.core.problem.MigrationException;
import dev.lockstep.core.status.InvalidIndexList;

/**
 * The fast path: when this changelog (all its files, hashed) was already verified against exactly this history,
 * the schema is up to date, told from one query without parsing the changelog. A full check that finds the schema
 * up to date leaves such a fingerprint behind.
 */
public final class FastPath {

	private static final Logger logger = LoggerFactory.getLogger("dev.lockstep.Migrations");

	private final RunContext context;

	private final RecordingResourceAccessor recording;

	private final VerifiedState verified;

	public FastPath(RunContext context) {
		this.context = context;
		this.recording = context.recording();
		this.verified = new VerifiedState(context.history(), describeForFingerprint(context.settings()));
	}

	/**
	 * The status proven up to date by a fingerprint, or {@code null} when that cannot be proven.
	 */
	public @Nullable HistoryReport verifiedReport() {
		return verifiedReport(true);
	}

	/**
	 * The status proven up to date by a fingerprint, or {@code null} when that cannot be proven.
	 * @param withLockHolder whether to read who holds the lock (shown in the status; an apply that finds nothing to
	 * do does not need it, which saves a tenant fleet's restart a query per tenant)
	 */
	public @Nullable HistoryReport verifiedReport(boolean withLockHolder) {
		Connection connection;
		try {
			connection = this.context.openStatusConnection();
		}
		catch (MigrationException ex) {
			return null;
		}
		try {
			// The history is read only when a verification of this very changelog exists.
			HistoryRows history = this.verified.matches(connection,
					() -> HistoryRows.read(connection, this.context.history()), this.recording.delegate());
			if (history == null || history.rows().isEmpty()) {
				return null;
			}
			MigrationLock lock = this.context.lockedRun().lockFor(connection);
			List<AppliedChangeSet> rows = history.rows();
			String tag = null;
			for (int i = rows.size() - 1; i >= 0 && tag == null; i--) {
				tag = rows.get(i).tag();
			}
			DatabaseMetaData metaData = connection.getMetaData();
			MigrationSettings settings = this.context.settings();
			String schema = (settings.defaultSchema() != null) ? settings.defaultSchema() : connection.getSchema();
			DatabaseInfo database = new DatabaseInfo(metaData.getDatabaseProductName(),
					metaData.getDatabaseProductVersion(), JdbcUrls.redact(metaData.getURL()), schema);
			var lastRuns = this.context.lastRuns().read(connection);
			MigrationStatus status = new MigrationStatus(SchemaState.UP_TO_DATE, database,
					rows.get(rows.size() - 1), tag, rows.size(), List.of(), List.of(), List.of(),
					withLockHolder ? lock.holder(connection).orElse(null) : null, Instant.now(),
					InvalidIndexList.read(connection, schema));
			logger.debug("Up to date by fingerprint: this changelog was verified against exactly this history");
			return new HistoryReport(status, rows, List.of(), lastRuns);
		}
		catch (SQLException | RuntimeException ex) {
			logger.debug("Fingerprint check failed; running the full check", ex);
			return null;
		}
		finally {
			this.context.releaseStatusConnection(connection);
			DatabaseSessions.closeQuietly(connection);
		}
	}

	/**
	 * Stores a fingerprint of a full check that found the schema up to date, when the history did not change
	 * while it ran.
	 */
	public void rememberIfVerified(Connection connection, HistoryReport report, boolean mayCreateTable) {
		if (report.status().state() != SchemaState.UP_TO_DATE || !report.alwaysRun().isEmpty()
				|| report.history().isEmpty()) {
			return;
		}
		// Only when the history read now is the one the full check compared: nothing changed in between.
		HistoryRows now = HistoryRows.read(connection, this.context.history());
		if (now == null || !now.sameChangeSets(report.history())) {
			return;
		}
		// Vouch for the files as this engine read them (it keeps its parse), never for files edited since.
		Map<String, Observation> seen = this.recording.seen();
		if (seen == null) {
			return;
		}
		ChangeLogSources sources = this.recording.sources();
		String changeLogHash;
		try {
			changeLogHash = sources.hash(this.recording.delegate(), seen);
		}
		catch (IOException | RuntimeException ex) {
			return;
		}
		this.verified.remember(connection, now, sources, changeLogHash, mayCreateTable);
	}

	/** {@link #rememberIfVerified} on a status connection of its own; skipped when none can be opened. */
	public void rememberVerified(HistoryReport report) {
		Connection connection;
		try {
			connection = this.context.sessions().open(RunContext.STATUS_CONNECTION_NAME);
		}
		catch (MigrationException ex) {
			return;
		}
		try {
			rememberIfVerified(connection, report, false);
		}
		finally {
			DatabaseSessions.closeQuietly(connection);
		}
	}

	private static String describeForFingerprint(MigrationSettings settings) {
		return String.join("|", "lockstep-fingerprint-2", LiquibaseUtil.getBuildVersion(), settings.changeLog(),
				String.valueOf(settings.contexts()), String.valueOf(settings.labelFilter()),
				String.valueOf(settings.defaultSchema()), String.valueOf(settings.liquibaseSchema()),
				new TreeMap<>(settings.parameters()).toString());
	}

}
