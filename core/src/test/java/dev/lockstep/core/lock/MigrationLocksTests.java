package dev.lockstep.core.lock;

import java.sql.Connection;
import java.sql.DriverManager;
import java.util.List;
import java.util.Optional;

import org.junit.jupiter.api.Test;

import dev.lockstep.core.jdbc.HistoryLocation;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalStateException;

/**
 * The factory asks its providers in order and takes the first lock it gets.
 */
class MigrationLocksTests {

	@Test
	void firstProviderThatHandlesTheDatabaseWins() throws Exception {
		MigrationLock custom = new LiquibaseRowLock((name) -> null, (connection) -> null, "CUSTOM_LOCK", "custom");
		MigrationLocks locks = new MigrationLocks(List.of((connection, context) -> Optional.empty(),
				(connection, context) -> Optional.of(custom), LiquibaseRowLock.provider()));
		try (Connection connection = h2()) {
			assertThat(locks.lockFor(connection, context())).isSameAs(custom);
		}
	}

	@Test
	void noProviderForTheDatabaseIsAnError() throws Exception {
		MigrationLocks locks = new MigrationLocks(List.of(PostgresAdvisoryLock.provider()));
		try (Connection connection = h2()) {
			assertThatIllegalStateException().isThrownBy(() -> locks.lockFor(connection, context()))
				.withMessageContaining("H2");
		}
	}

	private static MigrationLockContext context() {
		return new MigrationLockContext((name) -> null, (connection) -> null, new HistoryLocation(null), "test");
	}

	private static Connection h2() throws Exception {
		return DriverManager.getConnection("jdbc:h2:mem:locks_" + System.nanoTime(), "sa", "");
	}

}
