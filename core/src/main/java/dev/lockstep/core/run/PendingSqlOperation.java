package dev.lockstep.core.run;

import java.util.List;

import dev.lockstep.core.api.HistoryReport;
import dev.lockstep.core.api.PendingSql;
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
			HistoryReport report = this.context.reader().read(database, changeLog, (connection) -> null);
			try {
				List<PendingSql> pending = new PendingSqlGenerator(this.context.resources()).generate(database,
						changeLog, report.status().pending());
				// After generating: an sqlFile substitutes its parameters only then.
				return pending.stream().map(this.context.parameterMasker(changeLog)::mask).toList();
			}
			catch (MigrationException ex) {
				throw ex;
			}
			catch (Exception ex) {
				throw new MigrationException("Could not generate the SQL of the pending changesets: "
						+ DatabaseErrors.message(ex), "Check the changesets named above.", ex);
			}
		});
	}

}
