package dev.lockstep.core.ddl;

import java.sql.SQLException;
import java.time.Duration;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class LockTimeoutsTests {

	@Test
	void lockNotAvailableIsFoundAnywhereInTheCauseChain() {
		SQLException timeout = new SQLException("canceling statement due to lock timeout", "55P03");
		assertThat(LockTimeouts.isLockTimeout(new RuntimeException("update failed",
				new IllegalStateException("changeset failed", timeout)))).isTrue();
		SQLException chained = new SQLException("batch failed", "XX000");
		chained.setNextException(timeout);
		assertThat(LockTimeouts.isLockTimeout(chained)).isTrue();
		assertThat(LockTimeouts.isLockTimeout(new RuntimeException(new SQLException("duplicate", "23505"))))
			.isFalse();
		assertThat(LockTimeouts.isLockTimeout(new RuntimeException("no database error"))).isFalse();
	}

	@Test
	void pausesDoubleFromHalfASecondUpToTenSecondsWithinTheJitter() {
		long[] bases = { 500, 1000, 2000, 4000, 8000, 10000, 10000 };
		for (int retry = 1; retry <= bases.length; retry++) {
			for (int sample = 0; sample < 50; sample++) {
				Duration pause = LockTimeouts.pauseBefore(retry);
				assertThat(pause.toMillis()).as("retry %d", retry)
					.isBetween(Math.round(bases[retry - 1] * 0.75), Math.round(bases[retry - 1] * 1.25));
			}
		}
		assertThat(LockTimeouts.pauseBefore(100).toMillis()).isBetween(7500L, 12500L);
	}

	@Test
	void concurrentIndexNamesAreReadFromTheStatement() {
		assertThat(InvalidIndexes.createdConcurrently(
				"CREATE UNIQUE INDEX CONCURRENTLY IF NOT EXISTS Orders_Ref_Idx ON ONLY shop.orders (ref)"))
			.isEqualTo(new InvalidIndexes.ConcurrentIndex("orders_ref_idx", "shop.orders"));
		assertThat(InvalidIndexes.createdConcurrently("create index concurrently \"Mixed\" on \"Orders\" (id)"))
			.isEqualTo(new InvalidIndexes.ConcurrentIndex("Mixed", "\"Orders\""));
		assertThat(InvalidIndexes.createdConcurrently("CREATE INDEX orders_ref_idx ON orders (ref)")).isNull();
		assertThat(InvalidIndexes.createdConcurrently("CREATE INDEX CONCURRENTLY ON orders (ref)")).isNull();
	}

}
