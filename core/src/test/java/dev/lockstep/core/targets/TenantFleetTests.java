package dev.lockstep.core.targets;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.IntStream;

import liquibase.resource.DirectoryResourceAccessor;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import dev.lockstep.core.api.MigrationMode;
import dev.lockstep.core.api.MigrationSettings;
import dev.lockstep.core.api.SchemaState;
import dev.lockstep.core.problem.TenantsFailedException;
import dev.lockstep.core.problem.UnknownTargetException;
import dev.lockstep.core.test.TestDatabase;
import dev.lockstep.core.test.TestDatabases;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

/**
 * The tenants of a target in plain Java: each in its own schema with its own history, raw SQL included, the
 * changelog parsed once, failures recorded per tenant and told per failure mode.
 */
class TenantFleetTests {

	private static final String CHANGELOG = """
			databaseChangeLog:
			  - changeSet:
			      id: 1
			      author: t
			      changes:
			        - createTable:
			            tableName: items
			            columns:
			              - column: {name: id, type: int}
			  - changeSet:
			      id: 2
			      author: t
			      changes:
			        - sql:
			            sql: CREATE TABLE raw_items (id int); INSERT INTO raw_items VALUES (1)
			""";

	@TempDir
	Path dir;

	private final TestDatabase db = TestDatabases.create();

	@org.junit.jupiter.api.BeforeEach
	void writeChangeLog() throws IOException {
		Files.writeString(this.dir.resolve("master.yaml"), CHANGELOG);
	}

	@Test
	void everyTenantGetsItsTablesAndHistoryInItsOwnSchemaFromOneParse() throws IOException {
		TenantEngines engines = engines();
		TenantFleet fleet = new TenantFleet(TenantSource.of("tenants",
				() -> List.of(Tenant.schema("acme"), Tenant.schema("globex"), Tenant.schema("initech"))), engines,
				TenantFailureMode.FAIL, 3, Duration.ofSeconds(10));
		TargetRun run = fleet.runAll(MigrationMode.APPLY);
		assertThat(run.failed()).isEmpty();
		assertThat(run.applied()).isEqualTo(6);
		for (String schema : List.of("acme", "globex", "initech")) {
			assertThat(this.db.count("SELECT count(*) FROM " + schema + ".databasechangelog")).as(schema).isEqualTo(2);
			assertThat(this.db.count("SELECT count(*) FROM " + schema + ".raw_items")).as(schema).isEqualTo(1);
			assertThat(this.db.count("SELECT count(*) FROM " + schema + ".items")).as(schema).isZero();
		}
		assertThat(this.db.count("SELECT count(*) FROM pg_tables WHERE schemaname = 'public'")).isZero();
		// One parse per tenant run going on at the same time, reused (never shared by two runs at a time), also when
		// every tenant's status is read in full afterwards.
		int parses = engines.changeLogParses();
		assertThat(parses).isBetween(1, 3);
		fleet.tenants().forEach((tenant) -> tenant.engine().inspect());
		assertThat(engines.changeLogParses()).isEqualTo(parses);
		assertThat(fleet.summary().tenants()).containsEntry(SchemaState.UP_TO_DATE, 3);
		// A second run finds every tenant up to date and applies nothing.
		assertThat(fleet(List.of("acme", "globex", "initech"), TenantFailureMode.FAIL, 2).runAll(MigrationMode.APPLY)
			.applied()).isZero();
	}

	@Test
	void failingTenantIsRecordedAndTheOthersGoOnThenFailTellsAfterAll() throws IOException {
		this.db.execute("CREATE SCHEMA b; CREATE TABLE b.raw_items (other text)");
		TenantFleet fleet = fleet(List.of("a", "b", "c"), TenantFailureMode.FAIL, 2);
		assertThatExceptionOfType(TenantsFailedException.class).isThrownBy(() -> fleet.runAll(MigrationMode.APPLY))
			.satisfies((ex) -> {
				assertThat(ex.failedTenants()).containsExactly("b");
				assertThat(ex.getMessage()).startsWith("1 of 3 tenants of target tenants failed: b (")
					.contains("raw_items");
				assertThat(ex.action()).contains("--target=tenants --tenant=b");
			});
		assertThat(this.db.count("SELECT count(*) FROM a.databasechangelog")).isEqualTo(2);
		assertThat(this.db.count("SELECT count(*) FROM c.databasechangelog")).isEqualTo(2);
		assertThat(fleet.tenant("b").state()).isEqualTo(SchemaState.FAILED);
		assertThat(fleet.tenant("b").failure()).isNotNull();
		TargetSummary summary = fleet.summary();
		assertThat(summary.state()).isEqualTo(SchemaState.FAILED);
		assertThat(summary.tenants()).containsEntry(SchemaState.FAILED, 1).containsEntry(SchemaState.UP_TO_DATE, 2);

		// Fixed, the tenant is migrated again on its own and leaves FAILED.
		this.db.execute("DROP TABLE b.raw_items");
		fleet.migrate(fleet.tenant("b"));
		assertThat(fleet.tenant("b").failure()).isNull();
		assertThat(fleet.tenant("b").state()).isEqualTo(SchemaState.UP_TO_DATE);
	}

	@Test
	void aSchemaNameMixingCasesIsRefusedForItsTenantOnlyWithAClearError() throws IOException {
		TargetRun run = fleet(List.of("Initech", "ACME"), TenantFailureMode.CONTINUE, 1).runAll(MigrationMode.APPLY);
		assertThat(run.failed()).extracting(TenantOutcome::tenant).containsExactly("Initech");
		assertThat(run.failed().get(0).failure().getMessage()).contains("mixes upper and lower case");
		assertThat(run.failed().get(0).failure().action()).contains("initech");
		// Upper case alone folds to lower case, as PostgreSQL folds the unquoted name.
		assertThat(this.db.count("SELECT count(*) FROM acme.databasechangelog")).isEqualTo(2);
	}

	@Test
	void continueReturnsTheFailuresWithoutThrowing() throws IOException {
		this.db.execute("CREATE SCHEMA b; CREATE TABLE b.raw_items (other text)");
		TargetRun run = fleet(List.of("a", "b"), TenantFailureMode.CONTINUE, 2).runAll(MigrationMode.APPLY);
		assertThat(run.failed()).extracting(TenantOutcome::tenant).containsExactly("b");
		assertThat(run.outcomes()).extracting(TenantOutcome::tenant).containsExactly("a", "b");
	}

	@Test
	void validateModeChangesNothingAndCountsPendingTenantsAsFailures() throws IOException {
		TargetRun run = fleet(List.of("a"), TenantFailureMode.CONTINUE, 1).runAll(MigrationMode.VALIDATE);
		assertThat(run.failed()).hasSize(1);
		assertThat(this.db.count("SELECT count(*) FROM pg_namespace WHERE nspname = 'a'")).isZero();
	}

	@Test
	void unknownTenantIsListedAgainThenRefused() throws IOException {
		List<Tenant> listed = new ArrayList<>(List.of(Tenant.schema("a")));
		TenantFleet fleet = fleet(TenantSource.of("tenants", () -> List.copyOf(listed)), TenantFailureMode.FAIL, 1);
		assertThat(fleet.tenants()).extracting(MigrationTenant::id).containsExactly("a");
		listed.add(Tenant.schema("created_later"));
		assertThat(fleet.tenant("created_later").id()).isEqualTo("created_later");
		assertThatExceptionOfType(UnknownTargetException.class).isThrownBy(() -> fleet.tenant("nope"))
			.withMessageContaining("Target tenants has no tenant nope");
	}

	@Test
	void aTenantAddedAtRuntimeIsMigrated() throws IOException {
		TenantFleet fleet = fleet(List.of("a"), TenantFailureMode.FAIL, 1);
		fleet.runAll(MigrationMode.APPLY);
		MigrationTenant added = fleet.add(Tenant.schema("tenant_42"));
		assertThat(fleet.migrate(added).applied()).isEqualTo(2);
		assertThat(this.db.count("SELECT count(*) FROM tenant_42.raw_items")).isEqualTo(1);
	}

	@Test
	void aChangelogUsingDatabaseParametersIsParsedForEachTenant() throws IOException {
		Files.writeString(this.dir.resolve("master.yaml"), """
				databaseChangeLog:
				  - changeSet:
				      id: 1
				      author: t
				      changes:
				        - sql:
				            sql: CREATE TABLE seen (schema_name text); INSERT INTO seen VALUES ('${database.defaultSchemaName}')
				""");
		TenantEngines engines = engines();
		TenantFleet fleet = new TenantFleet(TenantSource.of("tenants", () -> List.of(Tenant.schema("x"),
				Tenant.schema("y"))), engines, TenantFailureMode.FAIL, 1, Duration.ofSeconds(10));
		fleet.runAll(MigrationMode.APPLY);
		assertThat(engines.changeLogParses()).isEqualTo(2);
		assertThat(this.db.rows("SELECT schema_name FROM x.seen")).containsExactly(List.of("x"));
		assertThat(this.db.rows("SELECT schema_name FROM y.seen")).containsExactly(List.of("y"));
	}

	@Test
	void manyTenantsInParallelEachExactlyOnce() throws IOException {
		List<String> schemas = IntStream.rangeClosed(1, 16).mapToObj((i) -> "t" + i).toList();
		TenantEngines engines = engines();
		TargetRun run = new TenantFleet(TenantSource.of("tenants", () -> schemas.stream().map(Tenant::schema).toList()),
				engines, TenantFailureMode.FAIL, 4, Duration.ofSeconds(10)).runAll(MigrationMode.APPLY);
		assertThat(engines.changeLogParses()).as("parses for 16 tenants, 4 at a time").isBetween(1, 4);
		assertThat(run.applied()).isEqualTo(32);
		for (String schema : schemas) {
			assertThat(this.db.count("SELECT count(*) FROM " + schema + ".raw_items")).as(schema).isEqualTo(1);
		}
		// The connections the batch reused are closed once it is over.
		assertThat(this.db.count("SELECT count(*) FROM pg_stat_activity WHERE datname = current_database() "
				+ "AND application_name LIKE 'lockstep%'")).isZero();
	}

	private TenantFleet fleet(List<String> schemas, TenantFailureMode onFailure, int parallelism)
			throws IOException {
		return fleet(TenantSource.of("tenants", () -> schemas.stream().map(Tenant::schema).toList()), onFailure,
				parallelism);
	}

	private TenantFleet fleet(TenantSource source, TenantFailureMode onFailure, int parallelism) throws IOException {
		return new TenantFleet(source, engines(), onFailure, parallelism, Duration.ofSeconds(10));
	}

	private TenantEngines engines() throws IOException {
		return new TenantEngines("tenants", this.db.dataSource(), (url) -> {
			throw new IllegalStateException("no database tenants here");
		}, new DirectoryResourceAccessor(this.dir), MigrationSettings.of("master.yaml"), (engine) -> {
		}, MigrationMode.APPLY, Duration.ofSeconds(10));
	}

}
