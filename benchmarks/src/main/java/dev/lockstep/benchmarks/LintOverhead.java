package dev.lockstep.benchmarks;

import java.nio.file.Path;
import java.sql.Connection;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import liquibase.resource.DirectoryResourceAccessor;
import org.postgresql.ds.PGSimpleDataSource;

import dev.lockstep.core.MigrationCommands;
import dev.lockstep.core.MigrationEngine;
import dev.lockstep.core.api.LintFinding;
import dev.lockstep.core.api.MigrationSettings;
import dev.lockstep.core.api.PendingSql;
import dev.lockstep.core.api.UpdateTarget;
import dev.lockstep.core.lint.Linter;
import dev.lockstep.core.lint.LiveTables;

/**
 * What linting costs on top of rendering the pending SQL ({@code migrations sql}), in this JVM, on the engine
 * itself: the same pending set rendered alone and rendered then linted against the live tables, alternating,
 * after a warm-up.
 */
final class LintOverhead {

	private final MigrationEngine engine;

	private LintOverhead(MigrationEngine engine) {
		this.engine = engine;
	}

	/**
	 * @param renderMillis each measured rendering of the pending SQL alone
	 * @param lintedMillis each measured rendering followed by the lint
	 * @param lintMillis the lint alone ({@link Linter} on the rendered SQL, with the live tables), each round
	 * @param pending changesets pending
	 * @param findings the findings of one lint, by rule and severity
	 */
	record Result(List<Long> renderMillis, List<Long> lintedMillis, List<Long> lintMillis, int pending,
			Map<String, Integer> findings) {
	}

	/**
	 * Applies the first {@code applied} changesets of the changelog to the database, then measures.
	 */
	static Result measure(String url, Path changeLog, int applied, int rounds) throws Exception {
		Quiet.logs();
		PGSimpleDataSource dataSource = new PGSimpleDataSource();
		dataSource.setURL(url);
		dataSource.setUser("postgres");
		dataSource.setPassword("postgres");
		MigrationEngine engine = new MigrationEngine(dataSource, new DirectoryResourceAccessor(changeLog.getParent()),
				MigrationSettings.of(changeLog.getFileName().toString()));
		new MigrationCommands(engine).update(UpdateTarget.count(applied));
		LintOverhead overhead = new LintOverhead(engine);
		if (Boolean.getBoolean("bench.verbose")) {
			StringBuilder dump = new StringBuilder();
			engine.pendingSql()
				.stream()
				.limit(20)
				.forEach((changeSet) -> dump.append(changeSet.changeSet().id()).append(": ").append(changeSet.sql())
					.append('\n'));
			java.nio.file.Files.writeString(changeLog.resolveSibling("pending-sql.txt"), dump);
		}
		List<Linter.Input> inputs = engine.pendingSql()
			.stream()
			.map((changeSet) -> new Linter.Input(changeSet.changeSet().ref().key(), changeSet.sql(),
					changeSet.runInTransaction(), changeSet.comments()))
			.toList();
		if (Boolean.getBoolean("bench.verbose")) {
			// Where the lint's time goes: the analysis alone (no database), the three catalog queries alone.
			List<String> tables = new ArrayList<>();
			for (int f = 0; f < 100; f++) {
				tables.add("public.t_" + f + "_0");
				tables.add("public.t_" + f + "_1");
			}
			long analysis = Long.MAX_VALUE;
			long catalog = Long.MAX_VALUE;
			try (Connection connection = dataSource.getConnection()) {
				connection.setAutoCommit(false);
				for (int i = 0; i < 30; i++) {
					long start = System.nanoTime();
					new Linter(Linter.DEFAULT_LARGE_TABLE_ROWS).lint(inputs, new LiveTables(null));
					analysis = Math.min(analysis, System.nanoTime() - start);
					start = System.nanoTime();
					new LiveTables(connection).preload(tables);
					catalog = Math.min(catalog, System.nanoTime() - start);
					connection.rollback();
				}
			}
			System.out.printf(java.util.Locale.ROOT, "[bench]   fastest of 30: analysis without a database %.1f ms, "
					+ "the catalog queries for 200 tables %.1f ms%n", analysis / 1e6, catalog / 1e6);
		}
		List<Long> render = new ArrayList<>();
		List<Long> linted = new ArrayList<>();
		List<Long> lint = new ArrayList<>();
		Map<String, Integer> findings = new TreeMap<>();
		int pending = 0;
		try (Connection connection = dataSource.getConnection()) {
			// As the engine's status session: Liquibase's connection does not auto-commit.
			connection.setAutoCommit(false);
			for (int i = -3; i < rounds; i++) {
				// Alternating which goes first; the first three rounds warm up and are not counted.
				long renderMillis = 0;
				if (i % 2 == 0) {
					renderMillis = overhead.render();
				}
				List<Long> lintedRun = new ArrayList<>();
				Map<String, List<LintFinding>> found = overhead.renderAndLint(lintedRun);
				if (i % 2 != 0) {
					renderMillis = overhead.render();
				}
				long start = System.nanoTime();
				new Linter(Linter.DEFAULT_LARGE_TABLE_ROWS).lint(inputs, new LiveTables(connection));
				long lintMillis = (System.nanoTime() - start) / 1_000_000;
				connection.rollback();
				if (i >= 0) {
					render.add(renderMillis);
					linted.add(lintedRun.get(0));
					lint.add(lintMillis);
				}
				pending = found.size();
				findings.clear();
				found.values()
					.forEach((list) -> list.forEach((finding) -> findings.merge(
							finding.rule() + " " + finding.severity().name().toLowerCase(java.util.Locale.ROOT), 1,
							Integer::sum)));
			}
		}
		return new Result(render, linted, lint, pending, findings);
	}

	private long render() {
		long start = System.nanoTime();
		List<PendingSql> pending = this.engine.pendingSql();
		if (pending.isEmpty()) {
			throw new IllegalStateException("nothing pending");
		}
		return (System.nanoTime() - start) / 1_000_000;
	}

	/**
	 * Renders the pending SQL and lints it in the same status session, as {@code migrations lint} and {@code
	 * migrations sql} do ({@link MigrationEngine#lint()}); adds the time beyond a rendering alone, measured right
	 * before, to {@code lint}.
	 */
	private Map<String, List<LintFinding>> renderAndLint(List<Long> lint) {
		long start = System.nanoTime();
		List<PendingSql> pending = this.engine.lint();
		long millis = (System.nanoTime() - start) / 1_000_000;
		lint.add(millis);
		Map<String, List<LintFinding>> findings = new java.util.LinkedHashMap<>();
		pending.forEach((changeSet) -> findings.put(changeSet.changeSet().ref().key(), changeSet.findings()));
		return findings;
	}

	/** Keeps the in-process engine's logging (logback's default: everything, to the console) to warnings. */
	static final class Quiet {

		private Quiet() {
		}

		static void logs() {
			org.slf4j.Logger root = org.slf4j.LoggerFactory.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME);
			if (root instanceof ch.qos.logback.classic.Logger logback) {
				logback.setLevel(ch.qos.logback.classic.Level.WARN);
			}
			java.util.logging.Logger.getLogger("").setLevel(java.util.logging.Level.WARNING);
			java.util.logging.Logger.getLogger("liquibase").setLevel(java.util.logging.Level.WARNING);
		}

	}

}
