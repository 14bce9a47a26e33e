package dev.lockstep.core;

import liquibase.resource.ClassLoaderResourceAccessor;
import org.junit.jupiter.api.Test;

import dev.lockstep.core.api.MigrationMode;
import dev.lockstep.core.api.MigrationSettings;
import dev.lockstep.core.api.RunOutcome;
import dev.lockstep.core.api.RunResult;
import dev.lockstep.core.api.SchemaState;
import dev.lockstep.core.test.TestDatabase;
import dev.lockstep.core.test.TestDatabases;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * lockstep-core on its own, as the README's "The modules" shows it: no Spring anywhere on this module's classpath.
 */
class PlainJavaUsageTests {

	@Test
	void theReadmeExampleAppliesTheChangelogUnderTheLockAndThenReportsUpToDate() {
		TestDatabase db = TestDatabases.create();
		MigrationEngine engine = new MigrationEngine(db.dataSource(), new ClassLoaderResourceAccessor(),
				MigrationSettings.of("dev/lockstep/core/plain-java-changelog.yaml"));
		assertThat(engine.status().state()).isEqualTo(SchemaState.PENDING);

		RunResult run = engine.run(MigrationMode.APPLY);

		assertThat(run.outcome()).isEqualTo(RunOutcome.SUCCESS);
		assertThat(run.applied()).isEqualTo(1);
		assertThat(db.count("SELECT count(*) FROM databasechangelog WHERE id = '1-customers'")).isEqualTo(1);
		assertThat(db.count("SELECT count(*) FROM information_schema.tables WHERE table_name = 'customers'"))
			.isEqualTo(1);
		assertThat(engine.status().state()).isEqualTo(SchemaState.UP_TO_DATE);
		assertThat(engine.run(MigrationMode.VALIDATE).outcome()).isEqualTo(RunOutcome.VALIDATED);
	}

	@Test
	void noSpringClassIsVisibleToTheCore() {
		assertThat(getClass().getClassLoader().getResource("org/springframework/core/SpringVersion.class")).isNull();
	}

}
