package dev.lockstep.core.run;

import java.sql.Connection;

import liquibase.database.jvm.JdbcConnection;

import dev.lockstep.core.api.HistoryReport;

/**
 * Reads where the schema stands, with the applied changesets and the last recorded run; changes nothing and takes
 * no lock. Proven by fingerprint when possible, else read in full (and then fingerprinted when up to date).
 */
public final class InspectOperation {

	private final RunContext context;

	private final FastPath fastPath;

	public InspectOperation(RunContext context, FastPath fastPath) {
		this.context = context;
		this.fastPath = fastPath;
	}

	public HistoryReport inspect() {
		HistoryReport fast = this.fastPath.verifiedReport();
		if (fast != null) {
			return fast;
		}
		return this.context.withStatusSession((database, changeLog, lock) -> {
			Connection connection = ((JdbcConnection) database.getConnection()).getUnderlyingConnection();
			HistoryReport report = this.context.reader().read(database, changeLog, (c) -> lock.holder(c).orElse(null));
			this.fastPath.rememberIfVerified(connection, report, false);
			return report;
		});
	}

}
