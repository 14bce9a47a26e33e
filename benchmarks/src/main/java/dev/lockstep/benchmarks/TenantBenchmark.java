package dev.lockstep.benchmarks;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

/**
 * A fleet of tenant schemas in one database, Lockstep's {@code TenantFleet} against Liquibase's
 * {@code MultiTenantSpringLiquibase} (the anchor): the first apply, a restart with nothing pending, and how the
 * restart grows with the number of tenants. Every run is a JVM of its own ({@link TenantRun}), as an application
 * starting would be; the time is the migration step inside it (JVM start not counted, the same for both).
 */
final class TenantBenchmark {

	static final String LOCKSTEP = "lockstep";

	static final String ANCHOR = "anchor";

	/** The changelog every tenant runs. */
	static final int CHANGE_SETS = 100;

	private final Path changelog;

	private final int runs;

	private final Function<String, String> urls;

	private final Launcher launcher;

	private final Map<String, String> prepared = new LinkedHashMap<>();

	private int databases;

	/** Starts a {@link TenantRun} with these arguments and waits for it. */
	@FunctionalInterface
	interface Launcher {

		Harness.AppRun run(List<String> args, Duration timeout) throws Exception;

	}

	TenantBenchmark(Path work, int runs, Function<String, String> urls, Launcher launcher) throws Exception {
		this.changelog = ChangelogGenerator.tenant(work.resolve("changelogs/tenant"), CHANGE_SETS, 10);
		this.runs = runs;
		this.urls = urls;
		this.launcher = launcher;
	}

	/** One measured step. */
	record Step(long millis, String detail) {
	}

	/**
	 * The first apply to {@code tenants} empty schemas, each side on a database of its own, made anew for every
	 * run; the last run's databases stay for the restarts.
	 */
	Map<String, List<Long>> firstApply(int tenants, int rounds) throws Exception {
		Map<String, List<Long>> results = new LinkedHashMap<>();
		for (int i = 0; i < rounds; i++) {
			List<String> order = new ArrayList<>(List.of(ANCHOR, LOCKSTEP));
			Collections.rotate(order, i);
			for (String side : order) {
				String previous = this.prepared.remove(side);
				if (previous != null) {
					drop(previous);
				}
				String db = newDatabase(side, tenants);
				Step step = run(side, db, tenants, List.of(), Duration.ofMinutes(30));
				log("  first apply, " + tenants + " tenants, " + side + ", round " + (i + 1) + ": " + step.millis()
						+ " ms" + step.detail());
				verify(db, tenants);
				this.prepared.put(side, db);
				results.computeIfAbsent(side, (key) -> new ArrayList<>()).add(step.millis());
			}
		}
		return results;
	}

	/** Restarts with nothing pending on the databases the last first apply left, alternating. */
	Map<String, List<Long>> restart(int tenants, List<String> sides, int rounds, List<String> extra) throws Exception {
		Map<String, List<Long>> results = new LinkedHashMap<>();
		for (int i = 0; i < rounds; i++) {
			List<String> order = new ArrayList<>(sides);
			Collections.rotate(order, i);
			for (String side : order) {
				Step step = run(side, this.prepared.get(side), tenants, extra, Duration.ofMinutes(30));
				log("  restart, " + tenants + " tenants, " + side + extra + ", round " + (i + 1) + ": " + step.millis()
						+ " ms" + step.detail());
				results.computeIfAbsent(side, (key) -> new ArrayList<>()).add(step.millis());
			}
		}
		return results;
	}

	/**
	 * Grows each side's prepared fleet to {@code tenants} schemas by copying the first tenant (tables, indexes, rows,
	 * history; a first apply of 1,000 tenants would take minutes per side), then restarts each side once so that
	 * the copies are as a restart leaves them (the anchor's lock table, Lockstep's fast-path record, which names the
	 * schema, so that a copied one does not count).
	 */
	void growTo(int tenants, List<String> sides) throws Exception {
		for (String side : sides) {
			String db = this.prepared.get(side);
			long start = System.nanoTime();
			try (Connection connection = connect(db); Statement statement = connection.createStatement()) {
				statement.execute(CLONE_SCHEMA);
				int have = count(connection, "SELECT count(*) FROM pg_namespace WHERE nspname LIKE 'tenant\\_%'");
				List<String> schemas = TenantRun.schemas(tenants);
				for (int i = have; i < tenants; i++) {
					statement.execute("SELECT pg_temp.clone_schema('" + schemas.get(0) + "', '" + schemas.get(i) + "')");
				}
			}
			log("  copied tenant_0000 of " + side + " up to " + tenants + " schemas in "
					+ (System.nanoTime() - start) / 1_000_000 + " ms");
			verify(db, tenants);
			Step warm = run(side, db, tenants, List.of(), Duration.ofMinutes(60));
			log("  " + side + ": first restart over " + tenants + " tenants (not counted): " + warm.millis() + " ms"
					+ warm.detail());
		}
	}

	/** Copies a schema's tables with their indexes, defaults and rows (no sequences or views in these schemas). */
	private static final String CLONE_SCHEMA = """
			CREATE OR REPLACE FUNCTION pg_temp.clone_schema(source text, target text) RETURNS void AS $$
			DECLARE t record;
			BEGIN
				EXECUTE format('CREATE SCHEMA %I', target);
				FOR t IN SELECT tablename FROM pg_tables WHERE schemaname = source LOOP
					EXECUTE format('CREATE TABLE %I.%I (LIKE %I.%I INCLUDING ALL)', target, t.tablename, source, t.tablename);
					EXECUTE format('INSERT INTO %I.%I SELECT * FROM %I.%I', target, t.tablename, source, t.tablename);
				END LOOP;
			END $$ LANGUAGE plpgsql""";

	Step run(String side, String db, int tenants, List<String> extra, Duration timeout) throws Exception {
		List<String> args = new ArrayList<>(List.of("side=" + side, "url=" + this.urls.apply(db),
				"changelog=" + this.changelog.toAbsolutePath(), "schemas=" + tenants));
		args.addAll(extra);
		Harness.AppRun run = this.launcher.run(args, timeout);
		Long millis = null;
		StringBuilder detail = new StringBuilder();
		for (String line : run.lines) {
			if (line.startsWith("BENCH tenants-step ")) {
				millis = Long.parseLong(line.substring("BENCH tenants-step ".length()).trim());
			}
			else if (line.startsWith("BENCH tenants-applied ")) {
				detail.append(" (").append(line.substring("BENCH ".length())).append(')');
			}
			else if (line.startsWith("BENCH profile ") || line.startsWith("BENCH sql ")) {
				detail.append("\n      ").append(line.substring("BENCH ".length()));
			}
		}
		Harness.require(run.exitCode == 0 && millis != null, side + " over " + tenants + " tenants failed:\n"
				+ run.output());
		return new Step(millis, detail.toString());
	}

	/** Every tenant has the whole history and its tables, the raw SQL's row included; none leaked into public. */
	private void verify(String db, int tenants) throws SQLException {
		try (Connection connection = connect(db)) {
			for (String schema : TenantRun.schemas(tenants)) {
				int history = count(connection, "SELECT count(*) FROM " + schema + ".databasechangelog");
				int seeded = count(connection, "SELECT count(*) FROM " + schema + ".tt_9_1");
				Harness.require(history == CHANGE_SETS && seeded == 1, schema + " of " + db + " has " + history
						+ " history rows and " + seeded + " seeded rows in its last table");
			}
			int leaked = count(connection, "SELECT count(*) FROM pg_tables WHERE schemaname = 'public' "
					+ "AND tablename LIKE 'tt\\_%'");
			Harness.require(leaked == 0, leaked + " tenant tables were created in public");
		}
	}

	/** A database with the tenants' schemas made (the anchor needs them; Lockstep would make them itself). */
	private String newDatabase(String side, int tenants) throws SQLException {
		String name = "bench_tenants_" + side + "_" + (++this.databases);
		try (Connection connection = connect("postgres"); Statement statement = connection.createStatement()) {
			statement.execute("CREATE DATABASE " + name);
		}
		try (Connection connection = connect(name); Statement statement = connection.createStatement()) {
			for (String schema : TenantRun.schemas(tenants)) {
				statement.execute("CREATE SCHEMA " + schema);
			}
		}
		return name;
	}

	private void drop(String db) throws SQLException {
		try (Connection connection = connect("postgres"); Statement statement = connection.createStatement()) {
			statement.execute("DROP DATABASE IF EXISTS " + db + " WITH (FORCE)");
		}
	}

	private static int count(Connection connection, String sql) throws SQLException {
		try (Statement statement = connection.createStatement(); ResultSet rows = statement.executeQuery(sql)) {
			rows.next();
			return rows.getInt(1);
		}
	}

	private Connection connect(String db) throws SQLException {
		return DriverManager.getConnection(this.urls.apply(db), "postgres", "postgres");
	}

	Path changelog() {
		return this.changelog;
	}

	private static void log(String text) {
		System.out.println("[bench] " + text);
	}

}
