package dev.lockstep.core.run;

import java.time.Duration;
import java.time.Instant;
import java.util.function.Supplier;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import dev.lockstep.core.api.HistoryReport;
import dev.lockstep.core.problem.Phrase;
import dev.lockstep.core.api.MigrationMode;
import dev.lockstep.core.api.MigrationStatus;
import dev.lockstep.core.api.RunOutcome;
import dev.lockstep.core.api.RunResult;
import dev.lockstep.core.problem.MigrationException;
import dev.lockstep.core.problem.SchemaMismatchException;
import dev.lockstep.core.status.DatabaseAhead;
import dev.lockstep.core.status.Mismatches;

/**
 * What a startup in validate mode does: checks that nothing is pending, unexpected or edited, and refuses to start
 * otherwise. A database merely ahead of this changelog starts with a warning, unless that is switched off.
 */
public final class ValidateOperation {

	private static final Logger logger = LoggerFactory.getLogger("dev.lockstep.Migrations");

	private final RunContext context;

	private final RunEvents events;

	private final Supplier<HistoryReport> inspection;

	/** Whether {@code validate} starts when the database merely has changesets applied after all it declares. */
	private volatile boolean allowAhead = true;

	public ValidateOperation(RunContext context, Supplier<HistoryReport> inspection) {
		this.context = context;
		this.events = context.events();
		this.inspection = inspection;
	}

	/** See {@code MigrationEngine#allowAheadInValidate}. */
	public void allowAhead(boolean allowed) {
		this.allowAhead = allowed;
	}

	public RunResult validate() {
		Instant started = Instant.now();
		this.events.started(MigrationMode.VALIDATE);
		try {
			HistoryReport report = this.inspection.get();
			MigrationStatus status = report.status();
			DatabaseAhead ahead = DatabaseAhead.of(report);
			if (ahead.allowsStart(status, this.allowAhead)) {
				logger.warn(ahead.warning(this.context.wording()));
			}
			else if (!status.isUpToDate()) {
				Phrase why = ahead.refusal(this.allowAhead);
				throw new SchemaMismatchException(
						(wording) -> Mismatches.describe(status) + ((why != null) ? "\n" + why.in(wording) : ""),
						Mismatches.action(status), status);
			}
			Mismatches.logUpToDate(status);
			return this.events.ended(MigrationMode.VALIDATE, started, 0, RunOutcome.VALIDATED, null, Duration.ZERO);
		}
		catch (MigrationException ex) {
			this.events.ended(MigrationMode.VALIDATE, started, 0,
					(ex instanceof SchemaMismatchException) ? RunOutcome.REFUSED : RunOutcome.FAILED,
					ex.getMessage(), Duration.ZERO);
			throw ex;
		}
	}

}
