package dev.lockstep.core.run;

import java.util.List;
import java.util.Map;

import liquibase.database.Database;
import liquibase.database.core.PostgresDatabase;
import liquibase.database.jvm.JdbcConnection;

import dev.lockstep.core.api.LintFinding;
import dev.lockstep.core.api.PendingSql;
import dev.lockstep.core.changelog.ParameterMasker;
import dev.lockstep.core.lint.Linter;
import dev.lockstep.core.lint.LiveTables;

/**
 * The pending changesets with the SQL each would run and what the lint finds in it, graded by the live tables:
 * one status session renders the SQL and asks the database about the tables it touches. No lock is taken.
 */
public final class LintOperation {

	private final RunContext context;

	private final PendingSqlOperation pendingSql;

	public LintOperation(RunContext context, PendingSqlOperation pendingSql) {
		this.context = context;
		this.pendingSql = pendingSql;
	}

	public List<PendingSql> lint() {
		return this.context.withStatusSession((database, changeLog, lock) -> {
			List<PendingSql> pending = this.pendingSql.generate(database, changeLog);
			Map<String, List<LintFinding>> findings = findings(database,
					pending.stream().map(LintOperation::input).toList(), this.context.lintPolicy().largeTableRows());
			ParameterMasker masker = this.context.parameterMasker(changeLog);
			return pending.stream()
				.map((changeSet) -> masker.mask(changeSet)
					.withFindings(findings.getOrDefault(changeSet.changeSet().ref().key(), List.of())))
				.toList();
		});
	}

	private static Linter.Input input(PendingSql pending) {
		return new Linter.Input(pending.changeSet().ref().key(), pending.sql(), pending.runInTransaction(),
				pending.comments());
	}

	/**
	 * The findings of each changeset, in run order. The rules are PostgreSQL's: on another database nothing is
	 * found.
	 */
	static Map<String, List<LintFinding>> findings(Database database, List<Linter.Input> changeSets,
			long largeTableRows) {
		if (!(database instanceof PostgresDatabase)
				|| !(database.getConnection() instanceof JdbcConnection connection)) {
			return Map.of();
		}
		return new Linter(largeTableRows).lint(changeSets, new LiveTables(connection.getUnderlyingConnection()));
	}

}
