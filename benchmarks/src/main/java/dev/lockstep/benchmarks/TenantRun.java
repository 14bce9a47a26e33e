package dev.lockstep.benchmarks;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import javax.sql.DataSource;

import liquibase.integration.spring.MultiTenantSpringLiquibase;
import liquibase.resource.DirectoryResourceAccessor;
import org.postgresql.ds.PGSimpleDataSource;

import org.springframework.core.io.DefaultResourceLoader;

import dev.lockstep.core.api.DdlSettings;
import dev.lockstep.core.api.LintFailOn;
import dev.lockstep.core.api.MigrationMode;
import dev.lockstep.core.api.MigrationSettings;
import dev.lockstep.core.lint.Linter;
import dev.lockstep.core.targets.Tenant;
import dev.lockstep.core.targets.TenantEngines;
import dev.lockstep.core.targets.TenantFailureMode;
import dev.lockstep.core.targets.TenantFleet;
import dev.lockstep.core.targets.TenantOutcome;
import dev.lockstep.core.targets.TenantSource;
import dev.lockstep.core.targets.TargetRun;

/**
 * One migration of a fleet of tenant schemas, in a JVM of its own (as an application starting would): Lockstep's
 * {@link TenantFleet} or Liquibase's {@link MultiTenantSpringLiquibase} (the anchor), both on a non-pooled
 * {@link PGSimpleDataSource}. Prints {@code BENCH tenants-step <millis>}: from before the first object is made to
 * the end of the run.
 * <p>
 * Arguments: {@code side=lockstep|anchor url=... changelog=/abs/master.yaml schemas=200 [drift=true]
 * [parallelism=N] [profile=true]}.
 */
final class TenantRun {

	private TenantRun() {
	}

	static void main(String[] args) throws Exception {
		Map<String, String> options = new HashMap<>();
		for (String arg : args) {
			int at = arg.indexOf('=');
			options.put(arg.substring(0, at), arg.substring(at + 1));
		}
		LintOverhead.Quiet.logs();
		String side = options.get("side");
		Path changelog = Path.of(options.get("changelog"));
		List<String> schemas = schemas(Integer.parseInt(options.get("schemas")));
		PGSimpleDataSource postgres = new PGSimpleDataSource();
		postgres.setURL(options.get("url"));
		postgres.setUser("postgres");
		postgres.setPassword("postgres");
		boolean profile = Boolean.parseBoolean(options.getOrDefault("profile", "false"));
		JdbcProfile profiled = profile ? new JdbcProfile(postgres) : null;
		DataSource dataSource = profile ? profiled : postgres;
		long start = System.nanoTime();
		if (side.equals("anchor")) {
			anchor(dataSource, changelog, schemas);
		}
		else {
			int parallelism = Integer.parseInt(options.getOrDefault("parallelism",
					String.valueOf(Math.min(4, Runtime.getRuntime().availableProcessors()))));
			boolean drift = Boolean.parseBoolean(options.getOrDefault("drift", "true"));
			TargetRun run = lockstep(dataSource, changelog, schemas, parallelism, drift);
			List<Long> took = new ArrayList<>(run.outcomes().stream().map(TenantOutcome::took).map(Duration::toMillis).toList());
			java.util.Collections.sort(took);
			System.out.println("BENCH tenants-applied " + run.applied() + " failed " + run.failed().size()
					+ " per-tenant-median " + took.get(took.size() / 2) + " per-tenant-max " + took.get(took.size() - 1));
		}
		long millis = (System.nanoTime() - start) / 1_000_000;
		System.out.println("BENCH tenants-step " + millis);
		if (profiled != null) {
			profiled.summary(schemas.size()).forEach((kind, total) -> System.out.println("BENCH profile " + kind + ": " + total));
			profiled.samples().forEach((sql, count) -> System.out.println("BENCH sql " + count + " x " + sql));
		}
		System.exit(0);
	}

	static List<String> schemas(int count) {
		List<String> schemas = new ArrayList<>();
		for (int i = 0; i < count; i++) {
			schemas.add(String.format("tenant_%04d", i));
		}
		return schemas;
	}

	/** What an application does with Lockstep's core API: one target, its tenants, run in parallel. */
	private static TargetRun lockstep(DataSource dataSource, Path changelog, List<String> schemas, int parallelism,
			boolean drift) throws Exception {
		TenantEngines engines = new TenantEngines("tenants", dataSource, (url) -> {
			throw new IllegalStateException("no database tenants here");
		}, new DirectoryResourceAccessor(changelog.getParent()), MigrationSettings.of(changelog.getFileName().toString()),
				(engine) -> {
					// As the auto-configuration does with the defaults.
					engine.limitStatusReads(Duration.ofSeconds(10));
					engine.configureDrift(drift, List.of());
					engine.configureDdl(DdlSettings.DEFAULT);
					engine.configureLint(Linter.DEFAULT_LARGE_TABLE_ROWS, LintFailOn.NEVER);
				}, MigrationMode.APPLY, Duration.ofSeconds(10));
		TenantFleet fleet = new TenantFleet(TenantSource.of("tenants", () -> schemas.stream().map(Tenant::schema).toList()),
				engines, TenantFailureMode.FAIL, parallelism, Duration.ofSeconds(10));
		return fleet.runAll(MigrationMode.APPLY);
	}

	/**
	 * The anchor as its documentation configures it: a DataSource, the schemas, the changelog and a Spring
	 * ResourceLoader; it runs a SpringLiquibase per schema, one after the other, each with that schema as default.
	 */
	private static void anchor(DataSource dataSource, Path changelog, List<String> schemas) throws Exception {
		MultiTenantSpringLiquibase liquibase = new MultiTenantSpringLiquibase();
		liquibase.setDataSource(dataSource);
		liquibase.setSchemas(new ArrayList<>(schemas));
		liquibase.setChangeLog("file:" + changelog.toAbsolutePath());
		liquibase.setResourceLoader(new DefaultResourceLoader());
		// Lockstep keeps Liquibase's analytics off; so does the anchor here (no calls to liquibase.com).
		liquibase.setAnalyticsEnabled(false);
		liquibase.afterPropertiesSet();
	}

}
