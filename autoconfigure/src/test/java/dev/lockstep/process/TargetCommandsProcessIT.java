package dev.lockstep.process;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledOnOs;
import org.junit.jupiter.api.condition.OS;

import dev.lockstep.test.TestDatabase;
import dev.lockstep.test.TestDatabases;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code java ... migrations <command> --target=... --all-tenants} in JVMs of their own, the way an operator or a
 * deploy step runs them: the process exits with the command's code (3 naming a failed tenant), and a later
 * {@code status} process reads every tenant afresh.
 */
@EnabledOnOs({ OS.LINUX, OS.MAC })
class TargetCommandsProcessIT {

	private static final Path OUTPUT = Path.of("target", "process-tests");

	private final List<ChildProcess> children = new ArrayList<>();

	@AfterEach
	void stopChildren() {
		this.children.forEach(ChildProcess::destroy);
	}

	@Test
	void updateAllTenantsExitsThreeNamingTheFailedTenantAndStatusReadsEveryTenant() throws Exception {
		TestDatabase orders = TestDatabases.create();
		TestDatabase billing = TestDatabases.create();
		orders.execute("CREATE SCHEMA tenant_02; CREATE TABLE tenant_02.notes (id int, body text)");
		Path directory = Files.createDirectories(OUTPUT.resolve("target-commands-" + System.nanoTime()));

		ChildProcess update = run(directory, "update", orders, billing, "migrations", "update", "--target=tenants",
				"--all-tenants");
		assertThat(update.awaitExit(Duration.ofSeconds(300))).as("exit code of update%s", update.output())
			.isEqualTo(3);
		assertThat(update.stdout()).containsPattern("tenant_01 +ok +3 ")
			.containsPattern("tenant_02 +FAILED +- ")
			.containsPattern("tenant_03 +ok +3 ");
		assertThat(update.output()).contains("migrations update: 1 of 3 tenants of target tenants failed: tenant_02 (");
		assertThat(orders.count("SELECT count(*) FROM tenant_03.databasechangelog")).isEqualTo(3);
		assertThat(orders.count("SELECT count(*) FROM tenant_02.databasechangelog")).isEqualTo(1);
		// The default target and billing were not touched.
		assertThat(orders.count("SELECT count(*) FROM information_schema.tables WHERE table_schema = 'public' AND "
				+ "table_name = 'databasechangelog'")).isZero();
		assertThat(billing.tableExists("databasechangelog")).isFalse();

		ChildProcess status = run(directory, "status", orders, billing, "migrations", "status", "--target=tenants",
				"--all-tenants");
		assertThat(status.awaitExit(Duration.ofSeconds(300))).as("exit code of status%s", status.output()).isZero();
		// A new process reads the failed run from the tenant's own records: FAILED, with its error.
		assertThat(status.stdout()).contains("State       FAILED (2 UP_TO_DATE, 1 FAILED)")
			.containsPattern("tenant_02 +FAILED +2 +1-accounts::ana +1 +.*\"notes\" already exists");

		ChildProcess unknown = run(directory, "unknown", orders, billing, "migrations", "history",
				"--target=tenants");
		assertThat(unknown.awaitExit(Duration.ofSeconds(300))).as("exit code of history%s", unknown.output())
			.isEqualTo(2);
		assertThat(unknown.output()).contains("migrations history: Target tenants is migrated per tenant: name one "
				+ "with --tenant=ID, or all of them with --all-tenants.");
	}

	private ChildProcess run(Path directory, String name, TestDatabase orders, TestDatabase billing,
			String... arguments) {
		List<String> all = new ArrayList<>(List.of(arguments));
		all.addAll(List.of(orders.springArguments()));
		all.add("--migrations.targets.billing.url=" + billing.url());
		all.add("--migrations.targets.billing.change-log=classpath:db/billing/changelog.yaml");
		all.add("--migrations.targets.tenants.change-log=classpath:db/tenants/changelog.yaml");
		all.add("--migrations.targets.tenants.tenants.schemas=tenant_01,tenant_02,tenant_03");
		ChildProcess child = ChildProcess.start(directory, name, Map.of(), all);
		this.children.add(child);
		return child;
	}

}
