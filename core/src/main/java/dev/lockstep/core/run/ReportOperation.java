package dev.lockstep.core.run;

import java.time.Duration;
import java.time.Instant;
import java.util.function.Supplier;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import dev.lockstep.core.api.MigrationMode;
import dev.lockstep.core.api.MigrationStatus;
import dev.lockstep.core.api.RunOutcome;
import dev.lockstep.core.api.RunResult;
import dev.lockstep.core.problem.MigrationException;
import dev.lockstep.core.status.Mismatches;

/**
 * What a startup in report mode does: logs where the schema stands and starts whatever it finds.
 */
public final class ReportOperation {

	private static final Logger logger = LoggerFactory.getLogger("dev.lockstep.Migrations");

	private final RunEvents events;

	private final Supplier<MigrationStatus> status;

	public ReportOperation(RunEvents events, Supplier<MigrationStatus> status) {
		this.events = events;
		this.status = status;
	}

	public RunResult report() {
		Instant started = Instant.now();
		this.events.started(MigrationMode.REPORT);
		try {
			MigrationStatus status = this.status.get();
			if (status.isUpToDate()) {
				Mismatches.logUpToDate(status);
			}
			else {
				logger.warn("Schema does not match the changelog (report mode changes nothing): {}",
						Mismatches.describe(status).replace('\n', ' '));
			}
			return this.events.ended(MigrationMode.REPORT, started, 0, RunOutcome.VALIDATED, null, Duration.ZERO);
		}
		catch (MigrationException ex) {
			logger.warn("Could not read the schema's status (report mode starts anyway): {}", ex.getMessage());
			return this.events.ended(MigrationMode.REPORT, started, 0, RunOutcome.FAILED, ex.getMessage(),
					Duration.ZERO);
		}
	}

}
