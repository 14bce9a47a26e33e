package dev.lockstep.core;

import java.sql.Connection;
import java.sql.Statement;
import java.util.HashSet;
import java.util.Set;

import org.junit.jupiter.api.Test;

import dev.lockstep.core.jdbc.HistoryLocation;
import dev.lockstep.core.lock.LockKey;
import dev.lockstep.core.test.TestDatabase;
import dev.lockstep.core.test.TestDatabases;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The lock key belongs to the history table as the database resolves it: 64 bits, one key per resolved schema.
 */
class HistoryLocationTests {

	@Test
	void keyIsSixtyFourBitsOfTheResolvedLockTable() {
		LockKey key = LockKey.forSchema("public");
		assertThat(key).isEqualTo(LockKey.forSchema("public"));
		Set<Integer> highHalves = new HashSet<>();
		Set<Long> keys = new HashSet<>();
		for (int i = 0; i < 20_000; i++) {
			LockKey tenant = LockKey.forSchema("tenant_" + i);
			keys.add(tenant.value());
			highHalves.add(tenant.classId());
		}
		assertThat(keys).as("distinct keys of 20000 tenant schemas").hasSize(20_000);
		assertThat(highHalves).as("the high 32 bits vary too").hasSizeGreaterThan(19_000);
		assertThat(((long) key.classId() << 32) | Integer.toUnsignedLong(key.objectId())).isEqualTo(key.value());
	}

	@Test
	void schemaNamesThatCollidedAsStringHashCodesGetDifferentKeys() {
		// ("tenant_aan.databasechangeloglock").hashCode() == ("tenant_ac0.databasechangeloglock").hashCode()
		assertThat("tenant_aan.databasechangeloglock".hashCode()).isEqualTo("tenant_ac0.databasechangeloglock".hashCode());
		assertThat(LockKey.forSchema("tenant_aan")).isNotEqualTo(LockKey.forSchema("tenant_ac0"));
	}

	@Test
	void configuredNamesAreFoldedAsPostgresFoldsTheNamesLiquibaseWrites() {
		assertThat(HistoryLocation.postgresName("PUBLIC")).isEqualTo("public");
		assertThat(HistoryLocation.postgresName("public")).isEqualTo("public");
		assertThat(HistoryLocation.postgresName("Billing")).as("mixed case: Liquibase quotes it").isEqualTo("Billing");
		assertThat(HistoryLocation.postgresName("TENANT_1")).isEqualTo("tenant_1");
	}

	@Test
	void unsetSchemaIsTheConnectionsCurrentSchema() throws Exception {
		TestDatabase db = TestDatabases.create();
		db.execute("CREATE SCHEMA billing");
		try (Connection connection = db.connect()) {
			HistoryLocation.Resolved unset = new HistoryLocation(null).resolve(connection);
			assertThat(unset.schema()).isEqualTo("public");
			assertThat(LockKey.forSchema(unset.schema())).isEqualTo(LockKey.forSchema(new HistoryLocation("public").resolve(connection).schema()))
				.isEqualTo(LockKey.forSchema(new HistoryLocation("PUBLIC").resolve(connection).schema()))
				.isNotEqualTo(LockKey.forSchema(new HistoryLocation("billing").resolve(connection).schema()));
			assertThat(unset.table("LOCKSTEP_LAST_RUN")).isEqualTo("\"public\".LOCKSTEP_LAST_RUN");
			try (Statement statement = connection.createStatement()) {
				statement.execute("SET search_path = billing, public");
			}
			HistoryLocation.Resolved billing = new HistoryLocation(null).resolve(connection);
			assertThat(billing.schema()).as("a service whose search_path starts with billing").isEqualTo("billing");
			assertThat(LockKey.forSchema(billing.schema())).isEqualTo(LockKey.forSchema(new HistoryLocation("BILLING").resolve(connection).schema()))
				.isNotEqualTo(LockKey.forSchema(unset.schema()));
		}
	}

}
