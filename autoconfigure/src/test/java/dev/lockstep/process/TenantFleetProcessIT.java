package dev.lockstep.process;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.IntStream;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledOnOs;
import org.junit.jupiter.api.condition.OS;

import dev.lockstep.test.TestDatabase;
import dev.lockstep.test.TestDatabases;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Eight JVMs start together on one database whose tenant target has twelve schemas: every tenant is applied exactly
 * once (one instance applies it under the tenant's lock, the others find it done), its raw SQL insert ran once, and
 * no instance failed.
 */
@EnabledOnOs({ OS.LINUX, OS.MAC })
class TenantFleetProcessIT {

	private static final Path OUTPUT = Path.of("target", "process-tests", "tenant-fleet");

	private static final Pattern TARGET_LINE = Pattern
		.compile("Target tenants: (\\d+) tenants in (\\d+) ms, (\\d+) changesets applied, (\\d+) failed");

	private static final int TENANTS = 12;

	private static final int CHANGESETS = 3;

	private final List<ChildProcess> children = new ArrayList<>();

	@AfterEach
	void stopChildren() {
		this.children.forEach(ChildProcess::destroy);
	}

	@Test
	void eightInstancesApplyEveryTenantExactlyOnce() {
		TestDatabase db = TestDatabases.create();
		String schemas = IntStream.rangeClosed(1, TENANTS)
			.mapToObj((i) -> String.format("tenant_%02d", i))
			.collect(Collectors.joining(","));
		long started = System.currentTimeMillis();
		for (int i = 1; i <= 8; i++) {
			List<String> arguments = new ArrayList<>(List.of(db.springArguments()));
			arguments.add("--spring.application.name=fleet-" + i);
			arguments.add("--migrations.targets.tenants.change-log=classpath:db/tenants/changelog.yaml");
			arguments.add("--migrations.targets.tenants.tenants.schemas=" + schemas);
			this.children.add(ChildProcess.start(OUTPUT, "instance-" + i, Map.of(), arguments));
		}
		int applied = 0;
		long deadline = System.nanoTime() + Duration.ofSeconds(300).toNanos();
		for (ChildProcess instance : this.children) {
			Integer exit = instance.awaitExit(Duration.ofNanos(Math.max(deadline - System.nanoTime(), 0)));
			assertThat(exit).as("exit code of %s%s", instance, instance.output()).isEqualTo(0);
			Matcher line = TARGET_LINE.matcher(instance.stdout());
			assertThat(line.find()).as("%s logged its tenant run%s", instance, instance.output()).isTrue();
			assertThat(line.group(1)).isEqualTo(String.valueOf(TENANTS));
			assertThat(line.group(4)).as("failed tenants of %s", instance).isEqualTo("0");
			applied += Integer.parseInt(line.group(3));
		}
		assertThat(applied).as("changesets applied over all instances").isEqualTo(TENANTS * CHANGESETS);
		for (int i = 1; i <= TENANTS; i++) {
			String schema = String.format("tenant_%02d", i);
			assertThat(db.count("SELECT count(*) FROM " + schema + ".databasechangelog")).as(schema)
				.isEqualTo(CHANGESETS);
			assertThat(db.count("SELECT count(*) FROM (SELECT id FROM " + schema
					+ ".databasechangelog GROUP BY id, author, filename HAVING count(*) > 1) d")).as(schema).isZero();
			assertThat(db.count("SELECT count(*) FROM " + schema + ".notes")).as("raw SQL insert in " + schema)
				.isEqualTo(1);
			assertThat(db.count("SELECT count(*) FROM " + schema + ".databasechangeloglock WHERE locked"))
				.as(schema).isZero();
		}
		assertThat(db.count("SELECT count(*) FROM pg_tables WHERE schemaname = 'public' AND tablename = 'notes'"))
			.isZero();
		System.out.printf("[tenant fleet] 8 processes, %d tenants x %d changesets: applied %d in all; took %d ms%n",
				TENANTS, CHANGESETS, applied, System.currentTimeMillis() - started);
	}

}
