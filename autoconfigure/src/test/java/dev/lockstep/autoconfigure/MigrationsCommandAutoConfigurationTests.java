package dev.lockstep.autoconfigure;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

import com.jayway.jsonpath.JsonPath;
import org.junit.jupiter.api.Test;

import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.jdbc.autoconfigure.DataSourceAutoConfiguration;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.context.ApplicationContext;

import dev.lockstep.command.CommandExecutor;
import dev.lockstep.command.MigrationsCommandRunner;
import dev.lockstep.core.api.MigrationMode;
import dev.lockstep.endpoint.MigrationsDescriptor;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Tests for {@link MigrationsCommandAutoConfiguration}: the runner exists only in an application started with
 * {@code migrations <command>}, runs the command against the auto-configured engine, and says so when Lockstep is
 * off. "A DataSource" is Spring Boot's embedded H2.
 */
class MigrationsCommandAutoConfigurationTests {

	private final ApplicationContextRunner contextRunner = new ApplicationContextRunner()
		.withConfiguration(AutoConfigurations.of(DataSourceAutoConfiguration.class, MigrationsAutoConfiguration.class,
				MigrationsCommandAutoConfiguration.class))
		.withPropertyValues("spring.datasource.generate-unique-name=true");

	@Test
	void noRunnerWithoutACommand() {
		this.contextRunner.run((context) -> assertThat(context).hasSingleBean(MigrationsInitializer.class)
			.doesNotHaveBean(MigrationsCommandRunner.class));
	}

	@Test
	void runnerRunsTheCommandInsteadOfTheStartupRun() {
		this.contextRunner.withPropertyValues("lockstep.command=check", "migrations.mode=validate").run((context) -> {
			assertThat(context).hasSingleBean(MigrationsCommandRunner.class)
				.doesNotHaveBean(MigrationsInitializer.class);
			Output check = execute(context, "migrations", "check");
			assertThat(check.code()).isEqualTo(CommandExecutor.NOT_UP_TO_DATE);
			assertThat(check.out()).contains("Pending: 3", "NOT UP TO DATE (PENDING)");
		});
	}

	@Test
	void statusJsonIsTheEndpointsDocument() {
		this.contextRunner.withPropertyValues("lockstep.command=status", "migrations.mode=validate").run((context) -> {
			Output status = execute(context, "--spring.profiles.active=x", "migrations", "status", "--format=json");
			assertThat(status.code()).isEqualTo(CommandExecutor.OK);
			Map<String, Object> json = JsonPath.read(status.out(), "$");
			assertThat(json.keySet()).containsExactlyElementsOf(Arrays
				.stream(MigrationsDescriptor.class.getRecordComponents())
				.map(java.lang.reflect.RecordComponent::getName)
				.toList());
			assertThat(json).containsEntry("state", "PENDING")
				.containsEntry("mode", MigrationMode.VALIDATE.value())
				.containsEntry("changeLog", "db/changelog/db.changelog-master.yaml")
				.containsEntry("appliedCount", 0);
			List<String> pending = JsonPath.read(status.out(), "$.pending[*].id");
			assertThat(pending).containsExactly("1-create-customers", "2-create-orders", "3-add-email");
			assertThat((Boolean) JsonPath.read(status.out(), "$.lock.held")).isFalse();
		});
	}

	@Test
	void runnerSaysSoWhenLockstepIsSwitchedOff() {
		this.contextRunner.withPropertyValues("lockstep.command=status", "migrations.enabled=false")
			.run((context) -> {
				assertThat(context).hasSingleBean(MigrationsCommandRunner.class)
					.doesNotHaveBean(MigrationsProperties.class);
				Output status = execute(context, "migrations", "status");
				assertThat(status.code()).isEqualTo(CommandExecutor.FAILED);
				assertThat(status.err()).contains("Lockstep is not active in this application");
				assertThat(status.out()).isEmpty();
			});
	}

	@Test
	void userDefinedRunnerWins() {
		MigrationsCommandRunner own = new MigrationsCommandRunner(null);
		this.contextRunner.withPropertyValues("lockstep.command=status")
			.withBean("ownRunner", MigrationsCommandRunner.class, () -> own)
			.run((context) -> assertThat(context).hasSingleBean(MigrationsCommandRunner.class)
				.getBean(MigrationsCommandRunner.class)
				.isSameAs(own));
	}

	private static Output execute(ApplicationContext context, String... args) {
		ByteArrayOutputStream out = new ByteArrayOutputStream();
		ByteArrayOutputStream err = new ByteArrayOutputStream();
		int code = context.getBean(MigrationsCommandRunner.class)
			.execute(List.of(args), new PrintStream(out, true, StandardCharsets.UTF_8),
					new PrintStream(err, true, StandardCharsets.UTF_8));
		return new Output(code, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
	}

	private record Output(int code, String out, String err) {
	}

}
