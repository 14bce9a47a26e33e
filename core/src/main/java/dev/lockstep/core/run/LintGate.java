package dev.lockstep.core.run;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import liquibase.changelog.ChangeSet;
import liquibase.database.Database;
import liquibase.database.core.PostgresDatabase;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import dev.lockstep.core.api.LintFinding;
import dev.lockstep.core.changelog.LiquibaseScope;
import dev.lockstep.core.changelog.PendingSqlGenerator;
import dev.lockstep.core.lint.LintPolicy;
import dev.lockstep.core.lint.Linter;
import dev.lockstep.core.problem.LintRefusedException;
import dev.lockstep.core.problem.MigrationException;

/**
 * Before an apply runs its first changeset: lints what it is about to run, logs one warning per finding, and
 * refuses (changing nothing) when the findings reach {@code lint fail-on}.
 */
final class LintGate {

	private static final Logger logger = LoggerFactory.getLogger("dev.lockstep.Migrations");

	private LintGate() {
	}

	static void check(RunContext context, Database database, List<ChangeSet> plan) {
		if (plan.isEmpty() || !(database instanceof PostgresDatabase)) {
			return;
		}
		LintPolicy policy = context.lintPolicy();
		Map<String, List<LintFinding>> findings;
		try {
			List<Linter.Input> inputs = LiquibaseScope.call(context.resources(), database,
					PendingSqlGenerator.GENERATE_ONLY,
					() -> plan.stream()
						.map((changeSet) -> new Linter.Input(
								changeSet.getFilePath() + "::" + changeSet.getId() + "::" + changeSet.getAuthor(),
								PendingSqlGenerator.sqlOf(changeSet, database), changeSet.isRunInTransaction(),
								changeSet.getComments()))
						.toList());
			findings = LintOperation.findings(database, inputs, policy.largeTableRows());
		}
		catch (MigrationException ex) {
			throw ex;
		}
		catch (Exception ex) {
			// The lint reviews; it never stops a run by failing itself.
			logger.warn("Could not lint the changesets about to run: {}", ex.getMessage());
			return;
		}
		List<String> reached = new ArrayList<>();
		findings.forEach((changeSet, found) -> {
			for (LintFinding finding : found) {
				logger.warn("Lint {} {} in {}: {}; fix: {}", finding.severity().value(), finding.rule(), changeSet,
						finding.message(), finding.fix());
				if (policy.failOn().reachedBy(List.of(finding))) {
					reached.add(finding.severity().value() + " " + finding.rule() + " in " + changeSet + ": "
							+ finding.message());
				}
			}
		});
		if (!reached.isEmpty()) {
			throw new LintRefusedException(policy.failOn().value(), reached);
		}
	}

}
