package dev.lockstep.autoconfigure;

import java.lang.reflect.Field;
import java.util.Properties;

import liquibase.util.LiquibaseUtil;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.jdbc.autoconfigure.DataSourceAutoConfiguration;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.context.ConfigurableApplicationContext;

import dev.lockstep.core.MigrationEngine;
import dev.lockstep.core.compat.UntestedLiquibaseException;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Startup with a Liquibase that reports itself as 5.0.4: refused with Spring Boot's failure report saying how to pin
 * 4.33.0, unless {@code migrations.allow-untested-liquibase=true}. Liquibase is made to report 5.0.4 through its own
 * build-info cache ({@code LiquibaseUtil.getBuildVersion()} reads it), so the real check in the auto-configuration
 * runs; Liquibase 5 itself is never on the classpath.
 */
@ExtendWith(OutputCaptureExtension.class)
class LiquibaseVersionStartupTests {

	private final ApplicationContextRunner contextRunner = new ApplicationContextRunner()
		.withConfiguration(AutoConfigurations.of(DataSourceAutoConfiguration.class, MigrationsAutoConfiguration.class))
		.withPropertyValues("spring.datasource.generate-unique-name=true");

	private Object originalBuildInfo;

	@BeforeEach
	void rememberBuildInfo() throws Exception {
		this.originalBuildInfo = buildInfoField().get(null);
	}

	@AfterEach
	void restoreBuildInfo() throws Exception {
		buildInfoField().set(null, this.originalBuildInfo);
		assertThat(LiquibaseUtil.getBuildVersion()).isEqualTo("4.33.0");
	}

	@Test
	void theTestedLiquibaseStartsWithoutTheProperty() {
		this.contextRunner.run((context) -> assertThat(context).hasNotFailed().hasSingleBean(MigrationEngine.class));
	}

	@Test
	void liquibaseFiveFailsTheContext() throws Exception {
		reportLiquibaseVersion("5.0.4");
		this.contextRunner.run((context) -> assertThat(context).hasFailed()
			.getFailure()
			.rootCause()
			.isInstanceOf(UntestedLiquibaseException.class)
			.hasMessageContaining("Liquibase 5.0.4"));
	}

	@Test
	void liquibaseFiveRunsWhenUntestedVersionsAreAllowed(CapturedOutput output) throws Exception {
		reportLiquibaseVersion("5.0.4");
		this.contextRunner.withPropertyValues("migrations.allow-untested-liquibase=true").run((context) -> {
			assertThat(context).hasNotFailed().hasSingleBean(MigrationEngine.class);
			assertThat(context.getBean(MigrationsProperties.class).isAllowUntestedLiquibase()).isTrue();
		});
		assertThat(output).contains("WARN").contains("Liquibase 5.0.4 is on the classpath");
	}

	@Test
	void theFailureReportSaysHowToPinLiquibase(CapturedOutput output) throws Exception {
		reportLiquibaseVersion("5.0.4");
		Throwable failure = TestApps.fail(null, "spring.datasource.generate-unique-name=true");
		assertThat(failure).rootCause().isInstanceOf(UntestedLiquibaseException.class);
		String report = TestApps.failureReport(output);
		assertThat(report)
			.contains("Lockstep migrations: Liquibase 5.0.4 is on the classpath, but Lockstep is built and tested"
					+ " with Liquibase 4.33.0.")
			.contains("Pin Liquibase 4.33.0:")
			.contains("<liquibase.version>4.33.0</liquibase.version>")
			.contains("declare org.liquibase:liquibase-core 4.33.0 in <dependencyManagement>")
			.contains("set migrations.allow-untested-liquibase=true.");
	}

	@Test
	void theFailureReportIsNotShownWhenAllowed(CapturedOutput output) throws Exception {
		reportLiquibaseVersion("5.0.4");
		try (ConfigurableApplicationContext context = TestApps.application()
			.run(TestApps.arguments(null, true, "spring.datasource.generate-unique-name=true",
					"migrations.allow-untested-liquibase=true"))) {
			assertThat(context.getBean(MigrationEngine.class)).isNotNull();
		}
		assertThat(output).doesNotContain("APPLICATION FAILED TO START").contains("Liquibase 5.0.4 is on the classpath");
	}

	/** Liquibase reads its version once from liquibase.build.properties into this cache. */
	private static void reportLiquibaseVersion(String version) throws Exception {
		Properties buildInfo = new Properties();
		buildInfo.setProperty("build.version", version);
		buildInfoField().set(null, buildInfo);
		assertThat(LiquibaseUtil.getBuildVersion()).isEqualTo(version);
	}

	private static Field buildInfoField() throws NoSuchFieldException {
		Field field = LiquibaseUtil.class.getDeclaredField("liquibaseBuildProperties");
		field.setAccessible(true);
		return field;
	}

}
