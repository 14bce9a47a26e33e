package dev.lockstep.core.lock;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Instant;

import org.junit.jupiter.api.Test;

import dev.lockstep.core.api.LockHolder;
import dev.lockstep.core.test.TestDatabase;
import dev.lockstep.core.test.TestDatabases;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The application name of a run session, which says who waits for or holds the lock: its format, and reading it
 * back (also as PostgreSQL stores it) into the holder that status, errors and logs name.
 */
class HolderNameTests {

	private static final Instant SINCE = Instant.ofEpochSecond(1_700_000_000);

	private static final Instant FALLBACK = Instant.parse("2026-01-01T00:00:00Z");

	@Test
	void aWaitingSessionIsNamedByPidHostAndApplication() {
		assertThat(HolderName.encode("orders", 4242, "web-1")).isEqualTo("lockstep:4242@web-1:orders");
	}

	@Test
	void aHoldingSessionAlsoCarriesTheSecondItGotTheLockInBase36() {
		assertThat(HolderName.holding("lockstep:4242@web-1:orders", SINCE)).isEqualTo("lockstep:4242/s44we8@web-1:orders");
	}

	@Test
	void aNameNotOfLockstepIsNotMarkedAsHolding() {
		assertThat(HolderName.holding("psql", SINCE)).isEqualTo("psql");
		assertThat(HolderName.holding("lockstep-run", SINCE)).isEqualTo("lockstep-run");
	}

	@Test
	void aWaitingNameReadsBackWithTheFallbackTime() {
		LockHolder holder = HolderName.decode(HolderName.encode("orders", 4242, "web-1"), "10.0.0.9", FALLBACK);
		assertThat(holder).isEqualTo(new LockHolder("orders", "web-1", 4242L, FALLBACK, "advisory"));
	}

	@Test
	void aHoldingNameReadsBackWithItsOwnTime() {
		String name = HolderName.holding(HolderName.encode("orders", 4242, "web-1"), SINCE);
		assertThat(HolderName.decode(name, "10.0.0.9", FALLBACK))
			.isEqualTo(new LockHolder("orders", "web-1", 4242L, SINCE, "advisory"));
	}

	@Test
	void applicationNamesWithSeparatorsAndSpacesRoundTrip() {
		for (String application : new String[] { "billing: eu@blue", "a:b:c", "@", "with spaces", "" }) {
			String name = HolderName.holding(HolderName.encode(application, 7, "ip-10-0-0-7"), SINCE);
			assertThat(HolderName.decode(name, null, FALLBACK)).as(application)
				.isEqualTo(new LockHolder(application, "ip-10-0-0-7", 7L, SINCE, "advisory"));
		}
	}

	@Test
	void hostNamesWithDotsAndDashesRoundTrip() {
		String name = HolderName.holding(HolderName.encode("app", 99, "db-migrator.prod.example"), SINCE);
		assertThat(HolderName.decode(name, null, FALLBACK))
			.isEqualTo(new LockHolder("app", "db-migrator.prod.example", 99L, SINCE, "advisory"));
	}

	@Test
	void aLongHostIsCutBeforeTheSeparatorsSoTheHolderStillReadsBack() {
		String host = "ip-10-0-0-7.eu-west-1.compute.internal";
		String holding = HolderName.holding(HolderName.encode("orders-service", 4_194_303, host), SINCE);
		assertThat(holding).hasSizeLessThanOrEqualTo(63);
		LockHolder holder = HolderName.decode(holding, null, FALLBACK);
		assertThat(holder.pid()).isEqualTo(4_194_303L);
		assertThat(holder.since()).isEqualTo(SINCE);
		assertThat(host).startsWith(holder.host());
		assertThat(holder.application()).isEqualTo("orders-servic".substring(0, holder.application().length()))
			.hasSizeGreaterThanOrEqualTo(12);
	}

	@Test
	void charactersPostgresWouldReplaceAreReplacedFirstSoTheLengthCountsBytes() {
		String holding = HolderName.holding(HolderName.encode("bestellungen-äöü-ß", 4242, "web-1"), SINCE);
		assertThat(holding).isEqualTo("lockstep:4242/s44we8@web-1:bestellungen-???-?");
	}

	@Test
	void namesAreCutAt63CharactersFromTheApplicationEnd() {
		String application = "a-very-long-application-name-that-goes-on-and-on-and-on-and-on";
		String waiting = HolderName.encode(application, 123456, "host");
		String holding = HolderName.holding(waiting, SINCE);
		// The waiting name keeps room for "/<since>", so the holding name still fits PostgreSQL's 63 bytes.
		assertThat(waiting).hasSize(63 - 8).startsWith("lockstep:123456@host:a-very-long");
		assertThat(holding).hasSizeLessThanOrEqualTo(63).startsWith("lockstep:123456/s44we8@host:a-very-long");
		LockHolder holder = HolderName.decode(holding, null, FALLBACK);
		assertThat(holder.pid()).isEqualTo(123456L);
		assertThat(holder.host()).isEqualTo("host");
		assertThat(holder.since()).isEqualTo(SINCE);
		assertThat(application).startsWith(holder.application());
	}

	@Test
	void otherSessionsAreNamedAsTheyAreWithTheirClientAddress() {
		assertThat(HolderName.decode("psql", "10.0.0.9", FALLBACK))
			.isEqualTo(new LockHolder("psql", "10.0.0.9", null, FALLBACK, "advisory"));
		assertThat(HolderName.decode("", "10.0.0.9", FALLBACK).application()).isEqualTo("unknown session");
		assertThat(HolderName.decode(null, null, FALLBACK).application()).isEqualTo("unknown session");
		assertThat(HolderName.decode("lockstep:", null, FALLBACK).application()).isEqualTo("lockstep:");
		assertThat(HolderName.decode("lockstep:42@no-colon", null, FALLBACK).pid()).isNull();
	}

	@Test
	void garbledPidOrTimeIsLeftOutNotGuessed() {
		LockHolder noPid = HolderName.decode("lockstep:abc@web-1:orders", null, FALLBACK);
		assertThat(noPid).isEqualTo(new LockHolder("orders", "web-1", null, FALLBACK, "advisory"));
		LockHolder noTime = HolderName.decode("lockstep:42/!!@web-1:orders", null, FALLBACK);
		assertThat(noTime).isEqualTo(new LockHolder("orders", "web-1", 42L, FALLBACK, "advisory"));
	}

	@Test
	void theNameReadsBackFromPgStatActivityAsItWasSet() throws SQLException {
		TestDatabase db = TestDatabases.create();
		String name = HolderName.holding(HolderName.encode("orders: blue@eu", 31337, "web-1.prod"), SINCE);
		try (Connection holder = db.connect(); Connection observer = db.connect()) {
			try (Statement statement = holder.createStatement()) {
				statement.execute("SET application_name = '" + name.replace("'", "''") + "'");
			}
			try (PreparedStatement statement = observer
				.prepareStatement("SELECT application_name, client_addr FROM pg_stat_activity WHERE pid = ?")) {
				statement.setInt(1, backendPid(holder));
				try (ResultSet rows = statement.executeQuery()) {
					assertThat(rows.next()).isTrue();
					assertThat(HolderName.decode(rows.getString(1), rows.getString(2), FALLBACK))
						.isEqualTo(new LockHolder("orders: blue@eu", "web-1.prod", 31337L, SINCE, "advisory"));
				}
			}
		}
	}

	private static int backendPid(Connection connection) throws SQLException {
		try (Statement statement = connection.createStatement();
				ResultSet rows = statement.executeQuery("SELECT pg_backend_pid()")) {
			rows.next();
			return rows.getInt(1);
		}
	}

}
