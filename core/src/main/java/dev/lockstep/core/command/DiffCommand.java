package dev.lockstep.core.command;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Instant;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;

import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import dev.lockstep.core.api.AppliedChangeSet;
import dev.lockstep.core.api.DriftReport;
import dev.lockstep.core.api.DriftState;
import dev.lockstep.core.api.LockHolder;
import dev.lockstep.core.command.SchemaDiff.Against;
import dev.lockstep.core.drift.DriftChangelogWriter;
import dev.lockstep.core.drift.DriftComparison;
import dev.lockstep.core.drift.ManagedSchemas;
import dev.lockstep.core.drift.SchemaDescription;
import dev.lockstep.core.drift.SchemaDrift;
import dev.lockstep.core.drift.SchemaRecordStore.RecordSummary;
import dev.lockstep.core.fingerprint.HistoryRows;
import dev.lockstep.core.jdbc.DatabaseSessions;
import dev.lockstep.core.lock.MigrationLock;
import dev.lockstep.core.problem.MigrationException;
import dev.lockstep.core.problem.Wording.Option;
import dev.lockstep.core.run.Prepared;
import dev.lockstep.core.run.RunContext;

/**
 * {@code diff}: the live schema compared with what the migrations made, either the record written after each run
 * or the schema the changelog makes (built in a scratch database, never in the live one); recording either side as
 * what the migrations made, under the lock; writing the drift as a changelog that adopts it.
 */
public final class DiffCommand {

	private static final Logger logger = LoggerFactory.getLogger("dev.lockstep.Migrations");

	private static final String CONNECTION_NAME = "lockstep-diff";

	private final RunContext context;

	private final ScratchSchema scratch;

	public DiffCommand(RunContext context) {
		this.context = context;
		this.scratch = new ScratchSchema(context);
	}

	/** The live schema compared with the record, as the drift check does, with both descriptions. */
	public SchemaDiff againstRecord() {
		DriftReport report = this.context.checkDrift();
		DriftState state = report.state();
		if (!state.isConclusive() && state != DriftState.NO_RECORD && state != DriftState.STALE_RECORD) {
			return SchemaDiff.inconclusive(Against.RECORD, report);
		}
		Connection connection = this.context.openStatusConnection();
		try {
			SchemaDrift drift = this.context.drift();
			ManagedSchemas.Resolved schemas = drift.schemas().resolve(connection);
			HistoryRows history = HistoryRows.read(connection, this.context.history());
			SchemaDescription recorded = drift.store().description(connection);
			SchemaDescription live = drift.reader().read(connection);
			return new SchemaDiff(Against.RECORD, report, recorded, live, (history != null) ? history.hash() : "",
					schemas.defaultSchema(), (history != null) ? history.rows().size() : 0);
		}
		catch (SQLException ex) {
			DriftReport unavailable = DriftReport.inconclusive(DriftState.UNAVAILABLE, report.checkedAt(),
					report.recordedAt(), "Could not read the schema from the catalog: " + ex.getMessage());
			return SchemaDiff.inconclusive(Against.RECORD, unavailable);
		}
		finally {
			this.context.releaseStatusConnection(connection);
			DatabaseSessions.closeQuietly(connection);
		}
	}

	/**
	 * The live schema compared with the schema the changelog makes: exactly the changesets the live history records
	 * are applied to a scratch database on the same server (pending ones are not), which is dropped again. Nothing
	 * in the live database changes and no lock is taken; while a run holds the lock, the report says so.
	 * @throws MigrationException when the history has changesets the changelog does not declare, the scratch
	 * database cannot be made, or a changeset fails there
	 */
	public SchemaDiff againstChangelog() {
		Prepared prepared = this.context.prepare();
		List<AppliedChangeSet> unexpected = prepared.report().status().unexpected();
		if (!unexpected.isEmpty()) {
			throw new MigrationException("The history has " + unexpected.size() + " changeset(s) this changelog does "
					+ "not declare (e.g. " + unexpected.get(0).ref() + "), so the schema it makes cannot be built "
					+ "from it. Nothing was changed.", (wording) -> "Run the command with the changelog (release) that "
							+ "applied them, or compare with the record (leave out " + wording.option(Option.AGAINST)
							+ ").");
		}
		Set<String> applied = new HashSet<>();
		prepared.report().history().forEach((row) -> applied.add(row.ref().key()));
		Instant now = Instant.now();
		Connection connection = this.context.sessions().open(CONNECTION_NAME);
		try {
			if (!DatabaseSessions.isPostgres(connection)) {
				return SchemaDiff.inconclusive(Against.CHANGELOG, DriftReport.inconclusive(DriftState.UNSUPPORTED, now,
						null, "Drift is read from PostgreSQL's catalog; this database is not PostgreSQL"));
			}
			MigrationLock lock = this.context.lockedRun().lockFor(connection);
			DriftReport busy = inProgress(connection, lock, now);
			if (busy != null) {
				return SchemaDiff.inconclusive(Against.CHANGELOG, busy);
			}
			HistoryRows before = HistoryRows.read(connection, this.context.history());
			if ((before != null) ? !before.sameChangeSets(prepared.report().history())
					: !prepared.report().history().isEmpty()) {
				return SchemaDiff.inconclusive(Against.CHANGELOG, changedMeanwhile(now));
			}
			String historyHash = (before != null) ? before.hash() : "";
			SchemaDrift drift = this.context.drift();
			ManagedSchemas.Resolved schemas = drift.schemas().resolve(connection);
			long start = System.nanoTime();
			SchemaDescription expected = this.scratch.build(connection, schemas, applied);
			SchemaDescription live = drift.reader().read(connection);
			logger.debug("Built the schema of {} changeset(s) in a scratch database and compared it in {} ms",
					applied.size(), (System.nanoTime() - start) / 1_000_000);
			busy = inProgress(connection, lock, now);
			if (busy != null) {
				return SchemaDiff.inconclusive(Against.CHANGELOG, busy);
			}
			HistoryRows after = HistoryRows.read(connection, this.context.history());
			if (!historyHash.equals((after != null) ? after.hash() : "")) {
				return SchemaDiff.inconclusive(Against.CHANGELOG, changedMeanwhile(now));
			}
			DriftComparison comparison = DriftComparison.of(expected, live, drift.ignore());
			DriftReport report = new DriftReport(comparison.objects().isEmpty() ? DriftState.CLEAN : DriftState.DRIFT,
					now, comparison.objects(), comparison.ignored(), null, null);
			return new SchemaDiff(Against.CHANGELOG, report, expected, live, historyHash, schemas.defaultSchema(),
					applied.size());
		}
		catch (SQLException ex) {
			throw new MigrationException("Could not compare the schema with the changelog: " + ex.getMessage()
					+ ". Nothing was changed.", "Check the connection to " + this.context.displayUrl()
							+ " and run the command again.", ex);
		}
		finally {
			DatabaseSessions.closeQuietly(connection);
		}
	}

	private static @Nullable DriftReport inProgress(Connection connection, MigrationLock lock, Instant now) {
		Optional<LockHolder> holder = lock.holder(connection);
		return holder.map((held) -> DriftReport.inconclusive(DriftState.RUN_IN_PROGRESS, now, null,
				"A migration run (" + held.describe() + ") holds the lock: the schema is compared once it ends"))
			.orElse(null);
	}

	private static DriftReport changedMeanwhile(Instant now) {
		return DriftReport.inconclusive(DriftState.RUN_IN_PROGRESS, now, null,
				"The history changed while the schema was compared (a run?); compare again");
	}

	/**
	 * Records one side of a comparison as what the migrations made, under the lock: against the changelog, the
	 * schema built from it (the drift found stays visible to drift checks); against the record, the live schema
	 * (the drift shown is accepted). Refused when the history or the live schema changed after the comparison was
	 * shown.
	 * @return the record written
	 */
	public RecordSummary record(SchemaDiff shown) {
		SchemaDescription shownExpected = shown.expected();
		SchemaDescription shownLive = shown.actual();
		if ((shown.against() == Against.CHANGELOG) ? shownExpected == null : shownLive == null) {
			throw new MigrationException("There is nothing to record: " + shown.report().message(),
					"Compare first, then record.");
		}
		Prepared prepared = this.context.prepare();
		SchemaDrift drift = this.context.drift();
		return this.context.lockedRun().locked(prepared, (session) -> {
			Connection connection = session.connection();
			try {
				HistoryRows history = HistoryRows.read(connection, this.context.history());
				String historyHash = (history != null) ? history.hash() : "";
				if (!historyHash.equals(shown.historyHash())) {
					throw new MigrationException("The history changed after the comparison was shown (another run?). "
							+ "Nothing was recorded.", "Run the command again and check what it shows.");
				}
				SchemaDescription description = shownExpected;
				if (shown.against() == Against.RECORD) {
					description = drift.reader().read(connection);
					if (!description.hash().equals(shownLive.hash())) {
						throw new MigrationException("The live schema changed after the drift was shown. Nothing was "
								+ "recorded.", "Run the command again and check what it shows.");
					}
				}
				RecordSummary summary = drift.record(connection, description, this.context.lockedRun().holderName());
				logger.info("Recorded the {} ({} objects) as what the migrations made",
						(shown.against() == Against.CHANGELOG) ? "schema the changelog makes" : "live schema",
						summary.objects());
				return summary;
			}
			catch (SQLException ex) {
				throw new MigrationException("Could not record the schema: " + ex.getMessage()
						+ ". Nothing was recorded.", "Run the command again.", ex);
			}
		}).value();
	}

	/** Refuses an output file that exists, before anything is compared. */
	public void requireNewFile(Path output) {
		if (Files.exists(output)) {
			throw new MigrationException(output + " already exists.",
					(wording) -> "Choose another " + wording.option(Option.OUTPUT) + " file, or remove it.");
		}
	}

	/**
	 * Writes the drift as a Liquibase formatted-SQL changelog (see {@link DriftChangelogWriter}).
	 * @return what was written
	 */
	public DriftChangelogWriter.Written writeChangelog(SchemaDiff diff, Path output) {
		requireNewFile(output);
		SchemaDescription expected = diff.expected();
		SchemaDescription actual = diff.actual();
		if (expected == null || actual == null || diff.defaultSchema() == null) {
			throw new MigrationException("There is no drift to write: " + diff.report().message(),
					"Compare first, then write.");
		}
		DriftComparison comparison = DriftComparison.of(expected, actual, this.context.drift().ignore());
		DriftChangelogWriter.Written written = new DriftChangelogWriter(diff.defaultSchema())
			.write(comparison.objects(), expected, actual);
		try {
			Path parent = output.toAbsolutePath().getParent();
			if (parent != null) {
				Files.createDirectories(parent);
			}
			Files.writeString(output, written.text(), StandardOpenOption.CREATE_NEW);
		}
		catch (IOException ex) {
			throw new MigrationException("Could not write " + output + ": " + ex.getMessage(),
					"Choose a file in a directory you may write to.", ex);
		}
		if (!written.notExpressed().isEmpty()) {
			logger.warn("{} object(s) could not be expressed as changesets: {}", written.notExpressed().size(),
					written.notExpressed().stream().collect(Collectors.joining("; ")));
		}
		return written;
	}

}
