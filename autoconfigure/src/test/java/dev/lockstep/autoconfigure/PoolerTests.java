package dev.lockstep.autoconfigure;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.context.ConfigurableApplicationContext;

import dev.lockstep.core.problem.TransactionPoolingException;
import dev.lockstep.core.test.PgBouncer;
import dev.lockstep.test.TestDatabase;
import dev.lockstep.test.TestDatabases;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Real applications whose migrations go through a real PgBouncer: refused in transaction mode (a session advisory
 * lock means nothing there), applied as usual in session mode and when only the application's own connections
 * are pooled. Skipped, saying so, where the pgbouncer binary is absent.
 */
@ExtendWith(OutputCaptureExtension.class)
class PoolerTests {

	@Test
	void migrationsThroughATransactionPoolerAreRefusedWithTheFixAndNothingIsApplied(CapturedOutput output) {
		TestDatabase db = TestDatabases.create();
		try (PgBouncer pgBouncer = PgBouncer.start(db, "transaction")) {
			// prepareThreshold=0, as pgjdbc is configured behind a transaction pooler: without the check, this
			// run applied everything under a lock that kept no one out.
			Throwable failure = TestApps.fail(db, "migrations.url=" + pgBouncer.url() + "?prepareThreshold=0");
			assertThat(cause(failure, TransactionPoolingException.class).url()).isEqualTo(pgBouncer.url());
			assertThat(TestApps.failureReport(output))
				.contains("Lockstep migrations: The migration lock's connection to " + pgBouncer.url()
						+ " is pooled per transaction (PgBouncer, Supavisor or a cloud pooler in transaction or "
						+ "statement mode)")
				.contains("Nothing was changed.")
				.contains("Action:")
				.contains("Point migrations.url at the database directly (or at a pool in session mode)");
		}
		assertThat(db.tableExists("customers")).isFalse();
		if (db.tableExists("databasechangelog")) {
			assertThat(db.count("SELECT count(*) FROM databasechangelog")).isZero();
		}
		assertThat(db.count("SELECT count(*) FROM pg_locks WHERE locktype = 'advisory'")).isZero();
	}

	@Test
	void upToDateStartThroughATransactionPoolerNeedsNoLockAndIsNotChecked() {
		TestDatabase db = TestDatabases.create();
		TestApps.run(db).close();
		try (PgBouncer pgBouncer = PgBouncer.start(db, "transaction");
				ConfigurableApplicationContext context = TestApps.run(db,
						"migrations.url=" + pgBouncer.url() + "?prepareThreshold=0")) {
			// The check is paid only by a run that takes the lock; an up-to-date start reads the status only.
			assertThat(db.rows("SELECT id FROM databasechangelog ORDER BY orderexecuted")).hasSize(3);
		}
	}

	@Test
	void migrationsThroughASessionPoolerApply() {
		TestDatabase db = TestDatabases.create();
		try (PgBouncer pgBouncer = PgBouncer.start(db, "session");
				ConfigurableApplicationContext context = TestApps.run(db, "migrations.url=" + pgBouncer.url())) {
			assertThat(db.rows("SELECT id FROM databasechangelog ORDER BY orderexecuted")).hasSize(3);
			assertThat(db.tableExists("customers")).isTrue();
		}
	}

	@Test
	void applicationOnATransactionPoolerWithMigrationsUrlDirectApplies() {
		TestDatabase db = TestDatabases.create();
		try (PgBouncer pgBouncer = PgBouncer.start(db, "transaction");
				ConfigurableApplicationContext context = TestApps.run(db,
						"spring.datasource.url=" + pgBouncer.url(), "migrations.url=" + db.url())) {
			assertThat(db.rows("SELECT id FROM databasechangelog ORDER BY orderexecuted")).hasSize(3);
			assertThat(db.tableExists("customers")).isTrue();
		}
	}

	private static <T extends Throwable> T cause(Throwable failure, Class<T> type) {
		for (Throwable candidate = failure; candidate != null; candidate = candidate.getCause()) {
			if (type.isInstance(candidate)) {
				return type.cast(candidate);
			}
		}
		throw new AssertionError("No " + type.getSimpleName() + " in the cause chain of " + failure, failure);
	}

}
