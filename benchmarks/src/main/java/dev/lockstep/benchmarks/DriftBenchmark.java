package dev.lockstep.benchmarks;

import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;

import com.zaxxer.hikari.HikariDataSource;
import liquibase.Scope;
import liquibase.command.CommandResults;
import liquibase.command.CommandScope;
import liquibase.diff.DiffResult;
import liquibase.resource.DirectoryResourceAccessor;

import dev.lockstep.core.MigrationEngine;
import dev.lockstep.core.api.DriftReport;
import dev.lockstep.core.api.DriftState;
import dev.lockstep.core.api.MigrationMode;
import dev.lockstep.core.api.MigrationSettings;
import dev.lockstep.core.api.RunResult;
import dev.lockstep.core.drift.CatalogReader;
import dev.lockstep.core.drift.ManagedSchemas;
import dev.lockstep.core.jdbc.HistoryLocation;

/**
 * The drift check on a wide schema, in the harness's own JVM: Lockstep's {@code checkDrift()} against the anchor,
 * Liquibase's open-source {@code diff} of the live database with a snapshot taken after the migration (what a
 * Liquibase OSS user runs to find drift: {@code liquibase snapshot --snapshot-format=json} once, then
 * {@code liquibase diff --reference-url=offline:postgresql?snapshot=...}).
 */
final class DriftBenchmark {

	/** Liquibase logs through java.util.logging; a logger's level holds only while it is referenced. */
	private static final java.util.logging.Logger LIQUIBASE_LOG = java.util.logging.Logger.getLogger("liquibase");

	/** The hand-made change the drifted check finds. */
	static final String HAND_ADDED_INDEX = "hand_added_idx";

	private final String url;

	private final Path changelog;

	private final Path work;

	private final int runs;

	DriftBenchmark(String url, Path changelog, Path work, int runs) {
		this.url = url;
		this.changelog = changelog;
		this.work = work;
		this.runs = runs;
	}

	/** Medians of the clean check, the check with one drifted object and Liquibase's diff. */
	Result run() throws Exception {
		// Thousands of lines per changeset otherwise: keep the harness's output to its own lines.
		LIQUIBASE_LOG.setLevel(java.util.logging.Level.WARNING);
		((ch.qos.logback.classic.Logger) org.slf4j.LoggerFactory.getLogger("dev.lockstep"))
			.setLevel(ch.qos.logback.classic.Level.WARN);
		try (HikariDataSource dataSource = new HikariDataSource()) {
			dataSource.setJdbcUrl(this.url);
			dataSource.setUsername("postgres");
			dataSource.setPassword("postgres");
			dataSource.setMaximumPoolSize(2);
			MigrationEngine engine = new MigrationEngine(dataSource,
					new DirectoryResourceAccessor(this.changelog.getParent()),
					MigrationSettings.of(this.changelog.getFileName().toString()));
			long applyStart = System.nanoTime();
			RunResult applied = engine.run(MigrationMode.APPLY);
			log("  applied the wide schema (" + applied + ") in " + (System.nanoTime() - applyStart) / 1_000_000
					+ " ms");
			int checks = Math.max(10, this.runs * 3);
			DriftReport clean = engine.checkDrift();
			Harness.require(clean.state() == DriftState.CLEAN,
					"the schema the migrations made reports drift: " + clean.state() + " " + clean.objects());
			long cleanMicros = medianMicros("clean check", 5, checks, () -> engine.checkDrift());
			long cleanCpu = cpuMicros(checks, () -> engine.checkDrift());
			if (Boolean.getBoolean("bench.verbose")) {
				profile(engine, checks);
				// The profile installed pg_stat_statements: an extension the migrations did not make.
				engine.configureDrift(true, List.of("extension:pg_stat_statements"));
			}
			String handIndex;
			execute("CREATE INDEX " + HAND_ADDED_INDEX + " ON " + ChangelogGenerator.wideTable(500) + " (note)");
			try {
				DriftReport drifted = engine.checkDrift();
				Harness.require(drifted.state() == DriftState.DRIFT && drifted.objects().size() == 1,
						"the hand-added index is not reported: " + drifted.state() + " " + drifted.objects());
				handIndex = drifted.objects().get(0).toString();
				log("  drift found: " + handIndex);
				long driftedMicros = medianMicros("check with one drifted object", 3, checks, () -> engine.checkDrift());
				long driftedCpu = cpuMicros(checks, () -> engine.checkDrift());
				long[] anchor = liquibaseDiff();
				return new Result(cleanMicros, driftedMicros, cleanCpu, driftedCpu, anchor[0], anchor[1]);
			}
			finally {
				execute("DROP INDEX IF EXISTS " + HAND_ADDED_INDEX);
			}
		}
	}

	/**
	 * Liquibase's snapshot of the schema as the migrations left it (without the hand-added index), written as JSON
	 * the way {@code liquibase snapshot --snapshot-format=json} writes it; then its {@code diff} command against the
	 * live database, which parses that snapshot, snapshots the live schema and compares the two.
	 * @return the median microseconds of the diff, and those of the one snapshot
	 */
	private long[] liquibaseDiff() throws Exception {
		Path directory = Files.createDirectories(this.work.resolve("liquibase-snapshot"));
		Path file = directory.resolve("after-migration.json");
		execute("DROP INDEX IF EXISTS " + HAND_ADDED_INDEX);
		long snapshotStart = System.nanoTime();
		try (OutputStream out = Files.newOutputStream(file)) {
			new CommandScope("snapshot").addArgumentValue("url", this.url)
				.addArgumentValue("username", "postgres")
				.addArgumentValue("password", "postgres")
				.addArgumentValue("snapshotFormat", "json")
				.setOutput(out)
				.execute();
		}
		long snapshotMillis = (System.nanoTime() - snapshotStart) / 1_000_000;
		log("  Liquibase snapshot of the migrated schema: " + snapshotMillis + " ms, " + Files.size(file) / 1024
				+ " KiB of JSON");
		execute("CREATE INDEX " + HAND_ADDED_INDEX + " ON " + ChangelogGenerator.wideTable(500) + " (note)");
		// The snapshot above warmed up Liquibase's snapshot code; a diff takes tens of seconds, so a few suffice.
		int diffs = Integer.getInteger("bench.liquibaseDiffs", Math.min(3, Math.max(1, this.runs)));
		long diffMicros = medianMicros("Liquibase diff against the snapshot", Integer.getInteger("bench.liquibaseWarmUps", 0), diffs, () -> {
			Map<String, Object> scope = Map.of(Scope.Attr.resourceAccessor.name(),
					new DirectoryResourceAccessor(directory));
			return Scope.child(scope, () -> {
				CommandResults results = new CommandScope("diff").addArgumentValue("url", this.url)
					.addArgumentValue("username", "postgres")
					.addArgumentValue("password", "postgres")
					.addArgumentValue("referenceUrl", "offline:postgresql?snapshot=" + file.getFileName())
					.setOutput(OutputStream.nullOutputStream())
					.execute();
				DiffResult diff = (DiffResult) results.getResult("diffResult");
				return diff;
			});
		});
		return new long[] { diffMicros, snapshotMillis * 1000 };
	}

	/**
	 * Where a clean check's time goes: the catalog read alone (Java side, on one connection), and each statement's
	 * server time from {@code pg_stat_statements}.
	 */
	private void profile(MigrationEngine engine, int checks) throws Exception {
		try (Connection connection = DriverManager.getConnection(this.url, "postgres", "postgres")) {
			CatalogReader reader = new CatalogReader(new ManagedSchemas(null, new HistoryLocation(null)));
			medianMicros("catalog read alone (8 queries, normalised and hashed)", 3, checks,
					() -> reader.read(connection));
			try (Statement statement = connection.createStatement()) {
				statement.execute("CREATE EXTENSION IF NOT EXISTS pg_stat_statements");
				statement.execute("SELECT pg_stat_statements_reset()");
			}
			for (int i = 0; i < checks; i++) {
				engine.checkDrift();
			}
			try (Statement statement = connection.createStatement();
					ResultSet rows = statement.executeQuery("SELECT calls, total_exec_time / calls, rows / calls, "
							+ "regexp_replace(left(query, 400), '\\s+', ' ', 'g') FROM pg_stat_statements "
							+ "WHERE calls >= " + checks + " AND dbid = (SELECT oid FROM pg_database "
							+ "WHERE datname = current_database()) ORDER BY total_exec_time DESC LIMIT 12")) {
				log("  server time per statement over " + checks + " clean checks (pg_stat_statements):");
				while (rows.next()) {
					log(String.format(java.util.Locale.ROOT, "    %5d calls, %7.2f ms, %6d rows: %s", rows.getLong(1),
							rows.getDouble(2), rows.getLong(3), rows.getString(4).substring(0,
									Math.min(150, rows.getString(4).length()))));
				}
			}
		}
	}

	private long medianMicros(String what, int warmUps, int measured, Callable<Object> action) throws Exception {
		Object last = null;
		for (int i = 0; i < warmUps; i++) {
			last = action.call();
		}
		List<Long> nanos = new ArrayList<>();
		for (int i = 0; i < measured; i++) {
			long start = System.nanoTime();
			last = action.call();
			nanos.add(System.nanoTime() - start);
		}
		long median = Harness.median(nanos);
		log(String.format(java.util.Locale.ROOT, "  %s: median %.1f ms of %d (min %.1f, max %.1f) after %d warm-up(s)%s",
				what, median / 1e6, measured, nanos.stream().mapToLong(Long::longValue).min().orElse(0) / 1e6,
				nanos.stream().mapToLong(Long::longValue).max().orElse(0) / 1e6, warmUps, describe(last)));
		return median / 1000;
	}

	/**
	 * The CPU time one action takes, on average over {@code measured} runs: the calling thread's and that of the
	 * PostgreSQL server's processes (all of them, from {@code /proc}; the server is the harness's own). On a machine
	 * where other work competes for the cores, this is what the action costs; the wall time also holds the waits.
	 * @return microseconds per run, or -1 when the server's processes cannot be read
	 */
	long cpuMicros(int measured, Callable<Object> action) throws Exception {
		java.lang.management.ThreadMXBean threads = java.lang.management.ManagementFactory.getThreadMXBean();
		long serverBefore = serverCpuTicks();
		long clientBefore = threads.getCurrentThreadCpuTime();
		for (int i = 0; i < measured; i++) {
			action.call();
		}
		long client = threads.getCurrentThreadCpuTime() - clientBefore;
		long serverAfter = serverCpuTicks();
		if (serverBefore < 0 || serverAfter < 0) {
			return -1;
		}
		// Linux reports process times in clock ticks of 10 ms (USER_HZ 100).
		long server = (serverAfter - serverBefore) * 10_000_000L;
		log(String.format(java.util.Locale.ROOT, "    CPU per run over %d runs: %.1f ms (client thread %.1f ms, server "
				+ "%.1f ms)", measured, (client + server) / 1e6 / measured, client / 1e6 / measured,
				server / 1e6 / measured));
		return (client + server) / 1000 / measured;
	}

	/** User and system ticks of the PostgreSQL server's postmaster and its children, or -1. */
	private long serverCpuTicks() {
		try {
			String dataDirectory;
			try (Connection connection = DriverManager.getConnection(this.url, "postgres", "postgres");
					Statement statement = connection.createStatement();
					ResultSet row = statement.executeQuery("SHOW data_directory")) {
				row.next();
				dataDirectory = row.getString(1);
			}
			String postmaster = Files.readAllLines(Path.of(dataDirectory, "postmaster.pid")).get(0).trim();
			long ticks = 0;
			try (java.util.stream.Stream<Path> processes = Files.list(Path.of("/proc"))) {
				for (Path process : (Iterable<Path>) processes::iterator) {
					String name = process.getFileName().toString();
					if (!name.chars().allMatch(Character::isDigit)) {
						continue;
					}
					String stat;
					try {
						stat = Files.readString(process.resolve("stat"));
					}
					catch (java.io.IOException ex) {
						continue; // ended meanwhile
					}
					String[] fields = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
					// after the name: state(0) ppid(1) ... utime(11) stime(12)
					if (name.equals(postmaster) || fields[1].equals(postmaster)) {
						ticks += Long.parseLong(fields[11]) + Long.parseLong(fields[12]);
					}
				}
			}
			return ticks;
		}
		catch (Exception ex) {
			return -1;
		}
	}

	private static String describe(Object result) {
		if (result instanceof DriftReport report) {
			return "; " + report.state() + ", " + report.objects().size() + " object(s)";
		}
		if (result instanceof DiffResult diff) {
			return "; Liquibase found " + diff.getMissingObjects().size() + " missing, "
					+ diff.getUnexpectedObjects().size() + " unexpected, " + diff.getChangedObjects().size()
					+ " changed object(s)";
		}
		return "";
	}

	private void execute(String sql) throws SQLException {
		try (Connection connection = DriverManager.getConnection(this.url, "postgres", "postgres");
				Statement statement = connection.createStatement()) {
			statement.execute(sql);
		}
	}

	private static void log(String text) {
		System.out.println("[bench] " + text);
	}

	/**
	 * Medians in microseconds.
	 * @param clean Lockstep's check when nothing drifted (the live catalog's hash equals the record's)
	 * @param drifted Lockstep's check with one hand-added index (the record is loaded and compared)
	 * @param cleanCpu the CPU time (client and server) of a clean check, or -1
	 * @param driftedCpu the CPU time of a check with one drifted object, or -1
	 * @param liquibaseDiff Liquibase's diff of the live database with the stored snapshot
	 * @param liquibaseSnapshot Liquibase's snapshot of the migrated schema (taken once)
	 */
	record Result(long clean, long drifted, long cleanCpu, long driftedCpu, long liquibaseDiff, long liquibaseSnapshot) {
	}

}
