package dev.lockstep.autoconfigure;

import java.util.List;
import java.util.UUID;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.jdbc.core.JdbcTemplate;

import dev.lockstep.core.api.RunOutcome;
import dev.lockstep.core.api.RunResult;
import dev.lockstep.test.MigrationsTestApp;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * On a database without advisory locks (H2), Lockstep falls back to Liquibase's own DATABASECHANGELOGLOCK row and
 * says so. The changelog's first changeset has a precondition that halts the run unless that row is held, by
 * Liquibase's standard lock service, while it runs.
 */
@ExtendWith(OutputCaptureExtension.class)
class H2FallbackTests {

	private static final String FALLBACK_LOG = "has no advisory locks: Lockstep relies on Liquibase's "
			+ "DATABASECHANGELOGLOCK row, which a killed run leaves locked until released by hand";

	private static final String HISTORY = "SELECT ID, AUTHOR, FILENAME, MD5SUM, EXECTYPE, ORDEREXECUTED, "
			+ "DATEEXECUTED, DEPLOYMENT_ID FROM DATABASECHANGELOG ORDER BY ORDEREXECUTED";

	@Test
	void appliesUnderLiquibasesRowLockAndSaysSoThenAppliesNothingTheSecondTime(CapturedOutput output) {
		String[] args = { "--spring.datasource.url=jdbc:h2:mem:lockstep_" + UUID.randomUUID() + ";DB_CLOSE_DELAY=-1",
				"--spring.datasource.username=sa", "--spring.datasource.password=",
				"--migrations.change-log=classpath:db/h2/changelog.yaml" };
		List<java.util.Map<String, Object>> firstHistory;
		try (ConfigurableApplicationContext context = MigrationsTestApp.run(args)) {
			RunResult result = context.getBean(MigrationsInitializer.class).getResult();
			assertThat(result.outcome()).isEqualTo(RunOutcome.SUCCESS);
			assertThat(result.applied()).isEqualTo(3);
			JdbcTemplate jdbc = context.getBean(JdbcTemplate.class);
			firstHistory = jdbc.queryForList(HISTORY);
			assertThat(firstHistory).extracting((row) -> row.get("ID"))
				.containsExactly("1-customers", "2-orders", "3-seed");
			assertThat(firstHistory).extracting((row) -> row.get("EXECTYPE")).containsOnly("EXECUTED");
			assertThat(jdbc.queryForObject("SELECT COUNT(*) FROM customers", Integer.class)).isEqualTo(1);
			assertThat(jdbc.queryForObject("SELECT COUNT(*) FROM DATABASECHANGELOGLOCK WHERE LOCKED = FALSE",
					Integer.class))
				.as("Liquibase's row released after the run")
				.isEqualTo(1);
		}
		assertThat(output).contains(FALLBACK_LOG).contains("[3/3] changeset 3-seed::test");
		int firstRunEnd = output.length();

		try (ConfigurableApplicationContext context = MigrationsTestApp.run(args)) {
			RunResult result = context.getBean(MigrationsInitializer.class).getResult();
			assertThat(result.outcome()).isEqualTo(RunOutcome.SUCCESS);
			assertThat(result.applied()).as("changesets applied by the second start").isZero();
			JdbcTemplate jdbc = context.getBean(JdbcTemplate.class);
			assertThat(jdbc.queryForList(HISTORY)).as("history after the second start").isEqualTo(firstHistory);
			assertThat(jdbc.queryForObject("SELECT COUNT(*) FROM customers", Integer.class)).isEqualTo(1);
		}
		String secondRun = output.toString().substring(firstRunEnd);
		assertThat(secondRun).contains("Schema is up to date at 3-seed::test")
			.as("an up-to-date start takes no lock at all")
			.doesNotContain(FALLBACK_LOG)
			.doesNotContain("] changeset ");
	}

}
