package dev.lockstep.corpora;

import java.net.URLClassLoader;
import java.nio.file.Path;
import java.sql.Connection;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentSkipListMap;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import liquibase.Scope;
import liquibase.changelog.ChangeLogParameters;
import liquibase.integration.spring.SpringLiquibase;
import liquibase.integration.spring.SpringResourceAccessor;
import liquibase.parser.ChangeLogParserFactory;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.core.io.DefaultResourceLoader;

import dev.lockstep.autoconfigure.HistoryOnlySpringLiquibase;
import dev.lockstep.autoconfigure.MigrationsInitializer;
import dev.lockstep.core.MigrationEngine;
import dev.lockstep.core.api.DriftReport;
import dev.lockstep.core.api.DriftState;
import dev.lockstep.core.api.RunOutcome;
import dev.lockstep.core.api.RunResult;
import dev.lockstep.test.TestDatabase;
import dev.lockstep.test.TestDatabases;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * Every real-world corpus of {@code ../shared/corpora} applied on a fresh PostgreSQL database twice: through
 * Lockstep, and through Spring Boot 4.0.7's own Liquibase auto-configuration (its {@link SpringLiquibase} bean) in
 * the same kind of application with the same changelog, contexts, parameters and resource loader. The
 * DATABASECHANGELOG rows and the resulting schema must be identical, and the counts those of the manifest. A
 * database migrated only by Lockstep has no drift: the check is clean after the run and after a restart, with the
 * record of what the migrations made as written by the first run.
 */
class CorpusParityIT {

	private static final String HISTORY = """
			SELECT id, author, filename, md5sum, exectype, description, comments, tag, contexts, labels, liquibase
			FROM databasechangelog ORDER BY orderexecuted, dateexecuted
			""";

	private static final String RECORD = """
			SELECT version, history_hash, description_hash, object_count, recorded_at FROM lockstep_schema_record
			""";

	private static final Map<String, String> results = new ConcurrentSkipListMap<>();

	private static final long suiteStart = System.nanoTime();

	static Stream<Corpus> corpora() {
		Path dir = Corpus.corporaDir();
		if (dir == null) {
			return Stream.of(Corpus.absent());
		}
		// Smallest first: the big corpora then run, and are timed, on a warmed-up JVM.
		return Corpus.load(dir)
			.stream()
			.sorted(Comparator.comparingInt((Corpus corpus) -> corpus.expect().totalChangeSets()));
	}

	@ParameterizedTest(name = "{0}")
	@MethodSource("corpora")
	@Timeout(value = 10, unit = TimeUnit.MINUTES)
	void appliesExactlyLikeSpringBootsLiquibase(Corpus corpus) throws Exception {
		assumeTrue(!corpus.isAbsent(), Corpus::absentMessage);
		assertThat(corpus.dir()).as("corpus folder of %s", corpus).isDirectory();
		TestDatabase viaLockstep = TestDatabases.create();
		TestDatabase viaLiquibase = TestDatabases.create();
		try (URLClassLoader classLoader = corpus.classLoader(getClass().getClassLoader())) {
			assertThat(parseOnce(corpus, classLoader)).as("changesets in %s, filtered or not", corpus)
				.isEqualTo(corpus.expect().totalChangeSets());
			Run lockstep = runLockstep(classLoader, viaLockstep, corpus);
			Run liquibase = runSpringBootLiquibase(classLoader, viaLiquibase, corpus);

			List<List<String>> lockstepHistory = viaLockstep.rows(HISTORY);
			List<List<String>> liquibaseHistory = viaLiquibase.rows(HISTORY);
			assertCounts(corpus, "plain Liquibase", viaLiquibase, liquibaseHistory);
			assertCounts(corpus, "Lockstep", viaLockstep, lockstepHistory);
			assertThat(lockstep.result().applied()).as("changesets Lockstep reports as applied")
				.isEqualTo(corpus.expect().rows());
			assertSameHistory(corpus, lockstepHistory, liquibaseHistory);

			List<String> lockstepSchema = dump(viaLockstep);
			List<String> liquibaseSchema = dump(viaLiquibase);
			assertThat(applicationTables(viaLiquibase)).as("application tables of %s", corpus)
				.isNotEmpty()
				.noneMatch((table) -> table.contains("${"));
			assertThat(lockstepSchema).as("schema of %s migrated by Lockstep vs plain Liquibase", corpus)
				.containsExactlyElementsOf(liquibaseSchema);
			assertThat(viaLockstep.count("SELECT count(*) FROM databasechangeloglock WHERE locked"))
				.as("DATABASECHANGELOGLOCK rows still locked after the Lockstep run")
				.isZero();

			// A second start on the migrated database applies nothing (changesets with failOnError="false" that
			// failed are not recorded, so Liquibase and Lockstep try them again, and they fail again).
			String recordBefore = viaLockstep.rows(RECORD).toString();
			Run again = runLockstep(classLoader, viaLockstep, corpus);
			assertThat(again.result().applied()).as("changesets applied by a second Lockstep start").isZero();
			assertThat(viaLockstep.rows(RECORD).toString())
				.as("the schema record after a restart that applied nothing").isEqualTo(recordBefore);
			assertThat(viaLockstep.rows(HISTORY)).as("history after a second Lockstep start")
				.isEqualTo(lockstepHistory);
			Run liquibaseAgain = runSpringBootLiquibase(classLoader, viaLiquibase, corpus);
			assertThat(viaLiquibase.rows(HISTORY)).as("history after a second plain Liquibase start")
				.isEqualTo(liquibaseHistory);

			String line = String.format(
					"%-20s rows=%d executed=%d markRan=%d | fresh database: Lockstep %d ms (startup %d ms), "
							+ "Spring Boot's Liquibase %d ms (startup %d ms) | up to date: Lockstep %d ms (startup "
							+ "%d ms), Spring Boot's Liquibase %d ms (startup %d ms) | schema dump %d lines | drift: "
							+ "%d objects recorded (%s), check %s after the run, %s after a restart (%d ms)",
					corpus.name(), lockstepHistory.size(), count(lockstepHistory, "EXECUTED"),
					count(lockstepHistory, "MARK_RAN"), lockstep.migrationMs(), lockstep.startupMs(),
					liquibase.migrationMs(), liquibase.startupMs(), again.migrationMs(), again.startupMs(),
					liquibaseAgain.migrationMs(), liquibaseAgain.startupMs(), lockstepSchema.size(),
					viaLockstep.count("SELECT object_count FROM lockstep_schema_record"), recordedKinds(viaLockstep),
					lockstep.drift().state(),
					again.drift().state(), again.driftMs());
			results.put(corpus.name(), line);
			System.out.println("[corpus-parity] " + line);
		}
	}

	@AfterAll
	static void summary() {
		if (!results.isEmpty()) {
			System.out.println("[corpus-parity] summary, total " + (System.nanoTime() - suiteStart) / 1_000_000
					+ " ms:");
			results.values().forEach((line) -> System.out.println("[corpus-parity]   " + line));
		}
	}

	private static Run runLockstep(URLClassLoader classLoader, TestDatabase database, Corpus corpus) {
		List<String> args = new ArrayList<>(List.of(database.springArguments()));
		args.add("--spring.application.name=corpus-" + corpus.name());
		args.add("--migrations.change-log=" + corpus.location());
		if (corpus.contexts() != null) {
			args.add("--migrations.contexts=" + corpus.contexts());
		}
		corpus.parameters().forEach((name, value) -> args.add("--migrations.parameters." + name + "=" + value));
		long start = System.nanoTime();
		try (ConfigurableApplicationContext context = CorpusApp.run(classLoader, args.toArray(String[]::new))) {
			long startup = (System.nanoTime() - start) / 1_000_000;
			assertThat(context.getBeansOfType(SpringLiquibase.class).values())
				.as("Spring Boot's Liquibase must back off for Lockstep")
				.allMatch(HistoryOnlySpringLiquibase.class::isInstance);
			RunResult result = context.getBean(MigrationsInitializer.class).getResult();
			assertThat(result).isNotNull();
			assertThat(result.outcome()).isEqualTo(RunOutcome.SUCCESS);
			CorpusApp.MigrationTimer timer = context.getBean(CorpusApp.MigrationTimer.class);
			assertThat(timer.migrator()).isEqualTo(MigrationsInitializer.class.getSimpleName());
			// No false alarms: the schema Lockstep made is exactly what it recorded.
			MigrationEngine engine = context.getBean(MigrationEngine.class);
			long driftStart = System.nanoTime();
			DriftReport drift = engine.checkDrift();
			long driftMs = (System.nanoTime() - driftStart) / 1_000_000;
			assertThat(drift.objects()).as("drift objects of %s after a Lockstep run", corpus).isEmpty();
			assertThat(drift.state()).as("drift of %s after a Lockstep run: %s", corpus, drift)
				.isEqualTo(DriftState.CLEAN);
			return new Run(startup, timer.millis(), result, drift, driftMs);
		}
	}

	private static Run runSpringBootLiquibase(URLClassLoader classLoader, TestDatabase database, Corpus corpus) {
		List<String> args = new ArrayList<>(List.of(database.springArguments()));
		args.add("--spring.application.name=corpus-" + corpus.name());
		args.add("--migrations.enabled=false");
		// Lockstep switches Spring Boot's Liquibase off with itself unless told otherwise.
		args.add("--spring.liquibase.enabled=true");
		args.add("--spring.liquibase.change-log=" + corpus.location());
		if (corpus.contexts() != null) {
			args.add("--spring.liquibase.contexts=" + corpus.contexts());
		}
		corpus.parameters()
			.forEach((name, value) -> args.add("--spring.liquibase.parameters." + name + "=" + value));
		long start = System.nanoTime();
		try (ConfigurableApplicationContext context = CorpusApp.run(classLoader, args.toArray(String[]::new))) {
			long startup = (System.nanoTime() - start) / 1_000_000;
			assertThat(context.getBeansOfType(MigrationsInitializer.class)).as("Lockstep must be off").isEmpty();
			SpringLiquibase liquibase = context.getBean(SpringLiquibase.class);
			assertThat(liquibase).isNotInstanceOf(HistoryOnlySpringLiquibase.class);
			assertThat(liquibase.getChangeLog()).isEqualTo(corpus.location());
			CorpusApp.MigrationTimer timer = context.getBean(CorpusApp.MigrationTimer.class);
			assertThat(timer.migrator()).isEqualTo(SpringLiquibase.class.getSimpleName());
			return new Run(startup, timer.millis(), null, null, -1);
		}
	}

	/**
	 * Parses the changelog once with Liquibase's parser and no database, untimed: counts its changesets, and spares
	 * the first timed run from paying alone for reading the corpus from disk and loading the classes it uses.
	 */
	private static int parseOnce(Corpus corpus, ClassLoader classLoader) throws Exception {
		SpringResourceAccessor resources = new SpringResourceAccessor(new DefaultResourceLoader(classLoader));
		String location = corpus.location();
		return Scope.child(Map.of(Scope.Attr.resourceAccessor.name(), resources),
				() -> ChangeLogParserFactory.getInstance()
					.getParser(location, resources)
					.parse(location, new ChangeLogParameters(), resources)
					.getChangeSets()
					.size());
	}

	private static void assertCounts(Corpus corpus, String via, TestDatabase database, List<List<String>> history) {
		Corpus.Expect expect = corpus.expect();
		assertThat(history).as("DATABASECHANGELOG rows of %s via %s", corpus, via).hasSize(expect.rows());
		assertThat(count(history, "EXECUTED")).as("EXECUTED rows of %s via %s", corpus, via)
			.isEqualTo(expect.executed());
		assertThat(count(history, "MARK_RAN")).as("MARK_RAN rows of %s via %s", corpus, via)
			.isEqualTo(expect.markRan());
		assertThat(database.count("SELECT count(DISTINCT orderexecuted) FROM databasechangelog"))
			.as("distinct ORDEREXECUTED values of %s via %s", corpus, via)
			.isEqualTo(expect.rows());
	}

	private static void assertSameHistory(Corpus corpus, List<List<String>> lockstep, List<List<String>> liquibase) {
		int rows = Math.min(lockstep.size(), liquibase.size());
		for (int i = 0; i < rows; i++) {
			assertThat(lockstep.get(i))
				.as("DATABASECHANGELOG row %d of %s (id, author, filename, md5sum, exectype, description, comments, "
						+ "tag, contexts, labels, liquibase), Lockstep vs plain Liquibase", i + 1, corpus)
				.isEqualTo(liquibase.get(i));
		}
		assertThat(lockstep).hasSameSizeAs(liquibase);
	}

	private static long count(List<List<String>> history, String execType) {
		return history.stream().filter((row) -> execType.equals(row.get(4))).count();
	}

	private static List<String> dump(TestDatabase database) throws Exception {
		try (Connection connection = database.connect()) {
			return CatalogDump.dump(connection, "public");
		}
	}

	/** How many objects of each kind the record holds, e.g. {@code column=120 index=8 table=20}. */
	private static String recordedKinds(TestDatabase database) {
		String description = database.rows("SELECT description FROM lockstep_schema_record").get(0).get(0);
		Map<String, Long> kinds = new TreeMap<>(description.lines()
			.filter((line) -> !line.isEmpty())
			.collect(Collectors.groupingBy((line) -> line.substring(0, line.indexOf('\t')),
					Collectors.counting())));
		StringBuilder text = new StringBuilder();
		kinds.forEach((kind, count) -> text.append((text.length() > 0) ? " " : "")
			.append(kind.replace(' ', '-'))
			.append('=')
			.append(count));
		return text.toString();
	}

	private static List<String> applicationTables(TestDatabase database) throws Exception {
		try (Connection connection = database.connect()) {
			return CatalogDump.tables(connection, "public")
				.stream()
				.filter((table) -> !table.startsWith("databasechangelog"))
				.toList();
		}
	}

	private record Run(long startupMs, long migrationMs, RunResult result, DriftReport drift, long driftMs) {
	}

}
