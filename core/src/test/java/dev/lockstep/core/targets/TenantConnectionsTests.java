package dev.lockstep.core.targets;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;

import org.junit.jupiter.api.Test;

import dev.lockstep.core.jdbc.JdbcUrls;
import dev.lockstep.core.jdbc.ReusedConnections;
import dev.lockstep.core.jdbc.SchemaPinnedDataSource;
import dev.lockstep.core.api.SchemaState;
import dev.lockstep.core.test.TestDatabase;
import dev.lockstep.core.test.TestDatabases;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

/**
 * How a tenant's connections are pinned to its schema and reused without carrying anything from one tenant's run
 * to the next; and the small values of targets.
 */
class TenantConnectionsTests {

	private final TestDatabase db = TestDatabases.create();

	@Test
	void pinnedConnectionsResolveUnqualifiedNamesInTheTenantSchemaAndPutThePathBack() throws SQLException {
		this.db.execute("CREATE SCHEMA \"Mixed\"; CREATE TABLE \"Mixed\".t (id int)");
		SchemaPinnedDataSource pinned = new SchemaPinnedDataSource(this.db.dataSource(), "Mixed");
		try (Connection connection = pinned.getConnection()) {
			connection.setAutoCommit(false);
			assertThat(single(connection, "SELECT current_schema()")).isEqualTo("Mixed");
			// A rollback of the caller's first transaction keeps the pin.
			connection.rollback();
			assertThat(single(connection, "SELECT count(*) FROM t")).isEqualTo("0");
		}
		ReusedConnections reused = new ReusedConnections(this.db.dataSource(), 1);
		org.postgresql.PGConnection physical;
		try (Connection connection = new SchemaPinnedDataSource(reused, "Mixed").getConnection()) {
			physical = connection.unwrap(org.postgresql.PGConnection.class);
			assertThat(single(connection, "SELECT current_schema()")).isEqualTo("Mixed");
		}
		try (Connection next = reused.getConnection()) {
			assertThat(next.unwrap(org.postgresql.PGConnection.class)).as("the same physical connection").isSameAs(physical);
			assertThat(single(next, "SELECT current_schema()")).isEqualTo("public");
		}
		reused.closeIdle();
	}

	@Test
	void reusedConnectionsComeBackResetWithoutLocksOrSettings() throws SQLException {
		ReusedConnections reused = new ReusedConnections(this.db.dataSource(), 2);
		try (Connection first = reused.getConnection(); Statement statement = first.createStatement()) {
			statement.execute("SET statement_timeout = '1234ms'; SET application_name = 'tenant_a'");
			statement.execute("SELECT pg_advisory_lock(42)");
			first.setAutoCommit(false);
			statement.execute("CREATE TABLE left_open (id int)");
		}
		try (Connection second = reused.getConnection()) {
			assertThat(single(second, "SHOW statement_timeout")).isEqualTo("0");
			assertThat(single(second, "SHOW application_name")).isNotEqualTo("tenant_a");
			assertThat(single(second, "SELECT count(*) FROM pg_locks WHERE locktype = 'advisory'")).isEqualTo("0");
			assertThat(single(second, "SELECT count(*) FROM pg_tables WHERE tablename = 'left_open'"))
				.as("the open transaction was rolled back").isEqualTo("0");
			assertThat(second.getAutoCommit()).isTrue();
		}
		reused.closeIdle();
		assertThat(this.db.count("SELECT count(*) FROM pg_stat_activity WHERE datname = current_database() "
				+ "AND pid <> pg_backend_pid()")).isZero();
	}

	@Test
	void tenantsFromValues() {
		assertThat(Tenant.parse(" acme ", null)).isEqualTo(new Tenant("acme", "acme", null));
		assertThat(Tenant.parse("jdbc:postgresql://db-7:5432/customer_7?ssl=true", null))
			.isEqualTo(new Tenant("customer_7", null, "jdbc:postgresql://db-7:5432/customer_7?ssl=true"));
		assertThat(Tenant.parse("jdbc:postgresql://db-7/c7", "seven").id()).isEqualTo("seven");
		assertThat(Tenant.parse("tenant_schema", "t1")).isEqualTo(new Tenant("t1", "tenant_schema", null));
		assertThatIllegalArgumentException().isThrownBy(() -> new Tenant(" ", "x", null));
		assertThatIllegalArgumentException().isThrownBy(() -> new Tenant("x", null, null));
		assertThat(JdbcUrls.databaseName("jdbc:postgresql:shop")).isEqualTo("shop");
		assertThat(JdbcUrls.databaseName("jdbc:h2:mem:shop;DB_CLOSE_DELAY=-1")).isEqualTo("shop");
	}

	@Test
	void targetSummaryIsTheWorstStateWithCounts() {
		TargetSummary summary = TargetSummary.ofTenants("t", List.of(SchemaState.UP_TO_DATE, SchemaState.PENDING,
				SchemaState.FAILED, SchemaState.UP_TO_DATE));
		assertThat(summary.state()).isEqualTo(SchemaState.FAILED);
		assertThat(summary.tenants()).containsExactly(java.util.Map.entry(SchemaState.UP_TO_DATE, 2),
				java.util.Map.entry(SchemaState.PENDING, 1), java.util.Map.entry(SchemaState.FAILED, 1));
		assertThat(summary.tenantCount()).isEqualTo(4);
		assertThat(TargetSummary.ofTenants("t", List.of()).state()).isEqualTo(SchemaState.UP_TO_DATE);
		assertThat(TargetSummary.worst(List.of(SchemaState.PENDING, SchemaState.SCHEMA_DRIFT)))
			.isEqualTo(SchemaState.SCHEMA_DRIFT);
	}

	private static String single(Connection connection, String sql) throws SQLException {
		try (Statement statement = connection.createStatement(); ResultSet row = statement.executeQuery(sql)) {
			row.next();
			return row.getString(1);
		}
	}

}
