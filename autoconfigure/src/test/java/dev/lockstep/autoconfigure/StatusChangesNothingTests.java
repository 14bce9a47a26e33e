package dev.lockstep.autoconfigure;

import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.springframework.context.ConfigurableApplicationContext;

import dev.lockstep.core.api.RunOutcome;
import dev.lockstep.core.problem.SchemaMismatchException;
import dev.lockstep.test.MigrationsTestApp;
import dev.lockstep.test.TestDatabase;
import dev.lockstep.test.TestDatabases;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

/**
 * Reading where the schema stands changes nothing, even on an empty database and with a changelog that uses
 * {@code include} (Liquibase's parser creates DATABASECHANGELOG at an include when a database is in scope). History
 * tables are created only by an apply run, inside its lock.
 */
class StatusChangesNothingTests {

	private static final String TABLES = "SELECT count(*) FROM pg_tables WHERE schemaname = 'public'";

	@Test
	void validateOnAnEmptyDatabaseRefusesToStartAndCreatesNothing() {
		TestDatabase db = TestDatabases.create();
		Throwable failure = catchThrowable(() -> start(db, "--migrations.mode=validate").close());
		assertThat(failure).hasRootCauseInstanceOf(SchemaMismatchException.class);
		assertThat(db.count(TABLES)).as("tables in the database after a validate start").isZero();
	}

	@Test
	void reportOnAnEmptyDatabaseStartsAndCreatesNothingThenApplyCreatesTheHistory() {
		TestDatabase db = TestDatabases.create();
		try (ConfigurableApplicationContext context = start(db, "--migrations.mode=report")) {
			assertThat(context.getBean(MigrationsInitializer.class).getResult().outcome())
				.isEqualTo(RunOutcome.VALIDATED);
		}
		assertThat(db.count(TABLES)).as("tables in the database after a report start").isZero();
		try (ConfigurableApplicationContext context = start(db, "--migrations.mode=apply")) {
			assertThat(context.getBean(MigrationsInitializer.class).getResult().applied()).isEqualTo(2);
		}
		assertThat(db.rows("SELECT id, filename FROM databasechangelog ORDER BY orderexecuted"))
			.containsExactly(List.of("1-accounts", "db/include/accounts.yaml"),
					List.of("2-account-name", "db/include/accounts.yaml"));
	}

	private static ConfigurableApplicationContext start(TestDatabase db, String... extra) {
		List<String> args = new ArrayList<>(List.of(db.springArguments()));
		args.add("--migrations.change-log=classpath:db/include/master.yaml");
		args.addAll(List.of(extra));
		return MigrationsTestApp.run(args.toArray(String[]::new));
	}

}
