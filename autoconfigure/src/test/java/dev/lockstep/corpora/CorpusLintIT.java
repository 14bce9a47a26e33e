package dev.lockstep.corpora;

import java.net.URLClassLoader;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentSkipListMap;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import liquibase.integration.spring.SpringResourceAccessor;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.springframework.core.io.DefaultResourceLoader;

import dev.lockstep.core.MigrationCommands;
import dev.lockstep.core.MigrationEngine;
import dev.lockstep.core.api.LintFinding;
import dev.lockstep.core.api.MigrationSettings;
import dev.lockstep.core.api.PendingSql;
import dev.lockstep.core.api.UpdateTarget;
import dev.lockstep.core.lint.LintRule;
import dev.lockstep.test.TestDatabase;
import dev.lockstep.test.TestDatabases;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * Every real-world corpus of {@code ../shared/corpora} linted twice without a crash: the whole changelog pending on
 * an empty database (every table is created in the run, so most findings are exempt), and its second half pending
 * on a database where the first half was applied and each table's estimated rows were then set to 1,000 or
 * 1,000,000 (so findings are graded warning or error by the live size). Prints the findings per rule per corpus.
 */
class CorpusLintIT {

	/** Rows of the summary: corpus and pass, then findings by "rule severity". */
	private static final Map<String, Map<String, Integer>> counts = new ConcurrentSkipListMap<>();

	static Stream<Corpus> corpora() {
		Path dir = Corpus.corporaDir();
		if (dir == null) {
			return Stream.of(Corpus.absent());
		}
		return Corpus.load(dir)
			.stream()
			.sorted(Comparator.comparingInt((Corpus corpus) -> corpus.expect().totalChangeSets()));
	}

	@ParameterizedTest(name = "{0}")
	@MethodSource("corpora")
	@Timeout(value = 10, unit = TimeUnit.MINUTES)
	void lintsWithoutCrash(Corpus corpus) throws Exception {
		assumeTrue(!corpus.isAbsent(), Corpus::absentMessage);
		try (URLClassLoader classLoader = corpus.classLoader(getClass().getClassLoader())) {
			TestDatabase empty = TestDatabases.create();
			List<PendingSql> whole = engine(empty, classLoader, corpus).lint();
			assertThat(whole).as("pending changesets of %s on an empty database", corpus)
				.hasSizeGreaterThanOrEqualTo(corpus.expect().executed());
			record(corpus, "1 whole, empty db", whole);

			TestDatabase half = TestDatabases.create();
			MigrationEngine engine = engine(half, classLoader, corpus);
			int firstHalf = whole.size() / 2;
			new MigrationCommands(engine).update(UpdateTarget.count(firstHalf));
			long tables = half.count("SELECT count(*) FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace "
					+ "WHERE c.relkind IN ('r', 'p') AND n.nspname NOT IN ('pg_catalog', 'information_schema') "
					+ "AND n.nspname NOT LIKE 'pg_toast%' AND c.relname NOT ILIKE 'databasechangelog%' "
					+ "AND c.relname NOT ILIKE 'lockstep%'");
			assertThat(tables).as("tables after the first half of %s", corpus).isPositive();
			// Rows as the live database estimates them: half the tables small, half large (above 100,000).
			half.execute("UPDATE pg_class c SET reltuples = CASE WHEN hashtext(c.relname) % 2 = 0 THEN 1000 "
					+ "ELSE 1000000 END FROM pg_namespace n WHERE n.oid = c.relnamespace AND c.relkind IN ('r', 'p') "
					+ "AND n.nspname NOT IN ('pg_catalog', 'information_schema') AND n.nspname NOT LIKE 'pg_toast%' "
					+ "AND c.relname NOT ILIKE 'databasechangelog%' AND c.relname NOT ILIKE 'lockstep%'");
			List<PendingSql> secondHalf = engine.lint();
			assertThat(secondHalf).as("pending changesets of %s after its first %d", corpus, firstHalf)
				.isNotEmpty()
				.hasSizeLessThan(whole.size());
			record(corpus, "2 second half, " + tables + " tables with rows", secondHalf);
		}
	}

	private static MigrationEngine engine(TestDatabase database, URLClassLoader classLoader, Corpus corpus) {
		MigrationSettings settings = MigrationSettings.of(corpus.location()).withParameters(corpus.parameters());
		if (corpus.contexts() != null) {
			settings = settings.withContexts(corpus.contexts());
		}
		return new MigrationEngine(database.dataSource(),
				new SpringResourceAccessor(new DefaultResourceLoader(classLoader)), settings);
	}

	private static void record(Corpus corpus, String pass, List<PendingSql> linted) {
		Map<String, Integer> byRule = new TreeMap<>();
		byRule.put("changesets", linted.size());
		for (PendingSql changeSet : linted) {
			for (LintFinding finding : changeSet.findings()) {
				assertThat(LintRule.byId(finding.rule())).as("rule of %s", finding).isNotNull();
				assertThat(finding.message()).as("message of %s", finding).isNotBlank();
				assertThat(finding.fix()).as("fix of %s", finding).isNotBlank();
				if (pass.startsWith("1")) {
					// On an empty database every table is new: what is still found is worth a look.
					System.out.println("[corpus-lint]   " + corpus.name() + " " + changeSet.changeSet().id() + ": "
							+ finding.severity() + " " + finding.message());
				}
				byRule.merge(finding.rule() + " " + finding.severity().name().toLowerCase(Locale.ROOT), 1,
						Integer::sum);
			}
		}
		counts.put(key(corpus, pass), byRule);
		System.out.println("[corpus-lint] " + key(corpus, pass) + ": " + byRule);
	}

	private static String key(Corpus corpus, String pass) {
		return corpus.name() + " | " + pass;
	}

	/** The findings per rule per corpus, as a Markdown table. */
	@AfterAll
	static void summary() {
		if (counts.isEmpty()) {
			return;
		}
		TreeSet<String> rules = new TreeSet<>();
		counts.values().forEach((byRule) -> rules.addAll(byRule.keySet()));
		rules.remove("changesets");
		List<String> columns = new ArrayList<>(List.of("corpus", "pass", "changesets"));
		columns.addAll(rules);
		StringBuilder table = new StringBuilder("| " + String.join(" | ", columns) + " |\n");
		table.append("|").append(" --- |".repeat(columns.size())).append('\n');
		counts.forEach((key, byRule) -> {
			table.append("| ").append(key).append(" | ").append(byRule.get("changesets"));
			rules.forEach((rule) -> table.append(" | ").append(byRule.getOrDefault(rule, 0)));
			table.append(" |\n");
		});
		System.out.println("[corpus-lint] findings per rule per corpus:\n" + table);
	}

}
