package dev.lockstep.core.run;

import java.util.List;

import liquibase.database.Database;

import dev.lockstep.core.api.HistoryReport;
import dev.lockstep.core.api.PendingSql;
import dev.lockstep.core.changelog.LoadedChangeLog;
import dev.lockstep.core.changelog.PendingSqlGenerator;
import dev.lockstep.core.problem.DatabaseErrors;
import dev.lockstep.core.problem.MigrationException;

/**
 * The SQL each pending changeset would run, generated without touching the database's schema or any lock.
 */
public final class PendingSqlOperation {

	private final RunContext context;

	public PendingSqlOperation(RunContext context) {
		this.context = context;
	}

	public List<PendingSql> pendingSql() {
		return this.context.withStatusSession((database, changeLog, lock) -> {
			List<PendingSql> pending = generate(database, changeLog);
			// After generating: an sqlFile substitutes its parameters only then.
			return pending.stream().map(this.context.parameterMasker(changeLog)::mask).toList();
		});
	}

	/** The SQL of the pending changesets as it will run (parameter values not masked yet). */
	List<PendingSql> generate(Database database, LoadedChangeLog changeLog) {
		HistoryReport report = this.context.reader().read(database, changeLog, (connection) -> null);
		try {
			return new PendingSqlGenerator(this.context.resources()).generate(database, changeLog,
					report.status().pending());
		}
		catch (MigrationException ex) {
			throw ex;
		}
		catch (Exception ex) {
			throw new MigrationException("Could not generate the SQL of the pending changesets: "
					+ DatabaseErrors.message(ex), "Check the changesets named above.", ex);
		}
	}

}
