package dev.lockstep.core.lint;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import org.jspecify.annotations.Nullable;

import dev.lockstep.core.api.LintFinding;
import dev.lockstep.core.api.LintSeverity;
import dev.lockstep.core.lint.StatementAnalyzer.Analysis;
import dev.lockstep.core.lint.StatementAnalyzer.Hit;

/**
 * Checks pending changesets, in run order, against the {@link LintRule}s: each statement of each changeset is
 * analysed, each hit graded by the live table it touches, and what the changeset's comment allows with a reason
 * is left out.
 */
public final class Linter {

	public static final long DEFAULT_LARGE_TABLE_ROWS = 100_000;

	private final long largeTableRows;

	public Linter(long largeTableRows) {
		this.largeTableRows = largeTableRows;
	}

	/**
	 * @param id the changeset's key, as the caller names it
	 * @param sql the statements (or scripts) it would run
	 * @param runInTransaction whether it runs in one transaction
	 * @param comments its comment, where suppressions live, or {@code null}
	 */
	public record Input(String id, List<String> sql, boolean runInTransaction, @Nullable String comments) {
	}

	/** The findings of each changeset (by its key, in the order given; those without findings included, empty). */
	public Map<String, List<LintFinding>> lint(List<Input> changeSets, LiveTables live) {
		// Analyse everything first, so that the live database is asked about all the tables at once.
		List<List<Analysis>> analyses = new ArrayList<>();
		Set<String> tables = new LinkedHashSet<>();
		for (Input changeSet : changeSets) {
			List<Analysis> statements = new ArrayList<>();
			for (String script : changeSet.sql()) {
				for (String statement : SqlStatements.split(script)) {
					Analysis analysis = StatementAnalyzer.analyze(statement, changeSet.runInTransaction());
					statements.add(analysis);
					analysis.hits.stream()
						.filter((hit) -> hit.table() != null)
						.forEach((hit) -> tables.add(hit.table().written()));
					analysis.backfilled.forEach((table) -> tables.add(table.written()));
				}
			}
			analyses.add(statements);
		}
		live.preload(tables);
		Created created = new Created(new HashSet<>(), new HashMap<>());
		Map<String, List<LintFinding>> findings = new LinkedHashMap<>();
		for (int i = 0; i < changeSets.size(); i++) {
			findings.put(changeSets.get(i).id(), lintOne(changeSets.get(i), analyses.get(i), live, created));
		}
		return findings;
	}

	/**
	 * What earlier statements of the run create.
	 * @param tables the keys of the tables created
	 * @param indexes the tables of the named indexes created, by index key
	 */
	private record Created(Set<String> tables, Map<String, TableName> indexes) {
	}

	private List<LintFinding> lintOne(Input changeSet, List<Analysis> analyses, LiveTables live, Created created) {
		Set<String> createdInRun = created.tables();
		Suppressions suppressions = Suppressions.parse(changeSet.comments());
		List<LintFinding> findings = new ArrayList<>();
		for (Suppressions.Allow allow : suppressions.allows()) {
			if (allow.reason().isEmpty()) {
				findings.add(finding(LintRule.SUPPRESSION_WITHOUT_REASON, LintSeverity.ERROR,
						"lockstep:allow " + allow.rule() + " gives no reason, so it allows nothing"));
			}
			else if (LintRule.byId(allow.rule()) == null) {
				findings.add(finding(LintRule.SUPPRESSION_WITHOUT_REASON, LintSeverity.WARNING,
						"lockstep:allow names no rule Lockstep knows: " + allow.rule()));
			}
		}
		Set<String> ddlTables = new HashSet<>();
		List<TableName> backfilled = new ArrayList<>();
		for (Analysis analysis : analyses) {
			for (Hit hit : analysis.hits) {
				LintFinding finding = grade(hit, live, created);
				if (finding != null && !suppressions.allows(hit.rule())) {
					findings.add(finding);
				}
			}
			analysis.changed.forEach((table) -> ddlTables.add(table.key()));
			backfilled.addAll(analysis.backfilled);
			if (analysis.created != null) {
				createdInRun.add(analysis.created.key());
				ddlTables.add(analysis.created.key());
			}
			if (analysis.createdIndex != null) {
				created.indexes().put(analysis.createdIndex.index().key(), analysis.createdIndex.table());
			}
		}
		if (changeSet.runInTransaction()) {
			for (TableName table : backfilled) {
				if (ddlTables.contains(table.key())) {
					LintFinding finding = grade(new Hit(LintRule.BACKFILL_WITH_DDL, table,
							"UPDATE/DELETE in the same transaction as DDL"), live, created);
					if (finding != null && !suppressions.allows(LintRule.BACKFILL_WITH_DDL)) {
						findings.add(finding);
					}
				}
			}
		}
		return findings;
	}

	private @Nullable LintFinding grade(Hit hit, LiveTables live, Created created) {
		Set<String> createdInRun = created.tables();
		if (hit.rule() == LintRule.CONCURRENT_IN_TRANSACTION) {
			return finding(hit.rule(), LintSeverity.ERROR, hit.what() + " in a changeset that runs in a transaction");
		}
		TableName table = hit.table();
		if (table == null && hit.rule() == LintRule.INDEX_NOT_CONCURRENT) {
			String index = hit.what().replaceFirst("^DROP INDEX (\\S+).*$", "$1");
			String owner = live.tableOfIndex(index);
			// Not in the live database: an index created earlier in the run, graded by its table.
			table = (owner != null) ? TableName.of(owner) : created.indexes().get(TableName.of(index).key());
		}
		if (table == null) {
			// Maintenance on the whole database (VACUUM FULL without a table): always a concern.
			return finding(hit.rule(), LintSeverity.WARNING, hit.what());
		}
		if (createdInRun.contains(table.key())) {
			return null;
		}
		LiveTables.Rows rows = live.rows(table.written());
		if (!rows.exists() || rows.empty()) {
			return null;
		}
		if (hit.rule() == LintRule.SET_NOT_NULL && hit.column() != null
				&& live.hasValidatedNotNullCheck(table.written(), hit.column())) {
			return null;
		}
		if (hit.rule() == LintRule.TABLE_REWRITE && hit.column() != null && hit.newType() != null) {
			String current = live.columnType(table.written(), hit.column());
			if (current != null && !TypeChanges.rewrites(current, hit.newType())) {
				return null;
			}
		}
		boolean large = rows.estimate() >= this.largeTableRows;
		String size = (rows.estimate() < 0) ? "never analysed, not empty" : "~" + rows.estimate() + " rows";
		return finding(hit.rule(), large ? LintSeverity.ERROR : LintSeverity.WARNING,
				hit.what() + " on " + table + " (" + size + ")");
	}

	private static LintFinding finding(LintRule rule, LintSeverity severity, String message) {
		return new LintFinding(rule.id(), severity, message + ": " + rule.why(), rule.fix());
	}

}
