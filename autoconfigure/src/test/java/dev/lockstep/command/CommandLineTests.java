package dev.lockstep.command;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

/**
 * The command-line parser on its own: every command's options, and for each kind of bad input the one error line
 * the operator reads (exit code 2, before anything touches a database).
 */
class CommandLineTests {

	@Test
	void onlyArgumentsStartingWithTheWordMigrationsAreACommand() {
		assertThat(CommandLine.isCommand(List.of("migrations", "status"))).isTrue();
		assertThat(CommandLine.isCommand(List.of("migrations"))).isTrue();
		assertThat(CommandLine.isCommand(List.of("--migrations", "status"))).isFalse();
		assertThat(CommandLine.isCommand(List.of("status", "migrations"))).isFalse();
		assertThat(CommandLine.isCommand(List.of())).isFalse();
	}

	@Test
	void everyCommandParsesWithEveryOptionItDeclares() {
		for (MigrationsCommand command : MigrationsCommand.values()) {
			List<String> args = new ArrayList<>(List.of("migrations", command.commandName()));
			command.options().forEach((option) -> args.add("--" + option + "=v-" + option));
			CommandLine line = CommandLine.parse(args);
			assertThat(line.command()).isEqualTo(command);
			assertThat(line.options()).hasSize(command.options().size());
			command.options().forEach((option) -> assertThat(line.option(option)).isEqualTo("v-" + option));
		}
	}

	@Test
	void theCommandsAndTheirOptionsAreTheOnesTheManualLists() {
		assertThat(CommandExecutor.commandNames()).containsExactly("status", "check", "history", "update", "sql", "lint",
				"rollback", "rollback-sql", "tag", "baseline", "generate-changelog", "diff", "help");
		assertThat(CommandExecutor.optionNames("status")).containsExactly("format");
		assertThat(CommandExecutor.optionNames("check")).containsExactly("format");
		assertThat(CommandExecutor.optionNames("history")).containsExactly("format");
		assertThat(CommandExecutor.optionNames("update")).containsExactly("count", "to-tag", "dry-run", "format");
		assertThat(CommandExecutor.optionNames("sql")).isEmpty();
		assertThat(CommandExecutor.optionNames("rollback")).containsExactly("count", "to-tag", "to-date", "dry-run",
				"format");
		assertThat(CommandExecutor.optionNames("rollback-sql")).containsExactly("count", "to-tag", "to-date");
		assertThat(CommandExecutor.optionNames("tag")).containsExactly("name");
		assertThat(CommandExecutor.optionNames("baseline")).containsExactly("to-tag", "force", "dry-run");
		assertThat(CommandExecutor.optionNames("generate-changelog")).containsExactly("output");
		assertThat(CommandExecutor.optionNames("diff")).containsExactly("against", "record", "dry-run", "output",
				"format");
		assertThat(CommandExecutor.optionNames("help")).isEmpty();
		assertThat(CommandExecutor.targetOptionNames()).containsExactly("target", "tenant", "all-tenants");
	}

	@Test
	void everyCommandButHelpTakesTheTargetOptions() {
		for (MigrationsCommand command : MigrationsCommand.values()) {
			List<String> args = List.of("migrations", command.commandName(), "--target=billing", "--tenant=t1",
					"--all-tenants");
			if (command == MigrationsCommand.HELP) {
				assertThatExceptionOfType(UsageException.class).isThrownBy(() -> CommandLine.parse(args))
					.withMessage("Unknown option --target for 'migrations help'. It takes no options.");
			}
			else {
				CommandLine line = CommandLine.parse(args);
				assertThat(line.option("target")).isEqualTo("billing");
				assertThat(line.option("tenant")).isEqualTo("t1");
				assertThat(line.flag("all-tenants")).isTrue();
			}
		}
		assertThat(MigrationsCommand.help()).contains("Every command takes --target=NAME");
	}

	@Test
	void commandNamesIgnoreCase() {
		assertThat(CommandLine.parse(List.of("migrations", "ROLLBACK-SQL", "--count=1")).command())
			.isEqualTo(MigrationsCommand.ROLLBACK_SQL);
	}

	@Test
	void aValueMayContainEqualsSignsAndBeEmpty() {
		CommandLine line = CommandLine.parse(List.of("migrations", "tag", "--name=a=b"));
		assertThat(line.option("name")).isEqualTo("a=b");
		assertThat(CommandLine.parse(List.of("migrations", "tag", "--name=")).option("name")).isEmpty();
	}

	@Test
	void switchesAreTrueWithoutAValueAndTakeOnlyTrueOrFalse() {
		assertThat(parse("rollback", "--count=1", "--dry-run").flag("dry-run")).isTrue();
		assertThat(parse("rollback", "--count=1", "--dry-run=true").flag("dry-run")).isTrue();
		assertThat(parse("rollback", "--count=1", "--dry-run=false").flag("dry-run")).isFalse();
		assertThat(parse("rollback", "--count=1").flag("dry-run")).isFalse();
		assertThat(parse("baseline", "--force").flag("force")).isTrue();
		assertThatExceptionOfType(UsageException.class)
			.isThrownBy(() -> parse("baseline", "--force=yes").flag("force"))
			.withMessage("--force takes no value (or true/false), not 'yes'.");
	}

	@Test
	void theLastOfARepeatedOptionWins() {
		assertThat(parse("update", "--count=1", "--count=3").intOption("count")).isEqualTo(3);
	}

	@Test
	void countsAreWholeNumbers() {
		assertThat(parse("update", "--count=12").intOption("count")).isEqualTo(12);
		assertThat(parse("update").intOption("count")).isNull();
		assertThatExceptionOfType(UsageException.class).isThrownBy(() -> parse("update", "--count=two").intOption("count"))
			.withMessage("--count must be a whole number, not 'two'.");
		assertThatExceptionOfType(UsageException.class).isThrownBy(() -> parse("update", "--count").intOption("count"))
			.withMessage("--count must be a whole number, not 'true'.");
	}

	@Test
	void formatIsTextByDefaultOrJson() {
		assertThat(parse("status").json()).isFalse();
		assertThat(parse("status", "--format=text").json()).isFalse();
		assertThat(parse("status", "--format=json").json()).isTrue();
		assertThatExceptionOfType(UsageException.class).isThrownBy(() -> parse("status", "--format=xml").json())
			.withMessage("Unknown --format=xml: use text or json.");
	}

	@Test
	void springBootOptionsPassThroughUntouched() {
		CommandLine line = parse("status", "--spring.profiles.active=prod", "--format=json",
				"--spring.datasource.url=jdbc:postgresql://db/app");
		assertThat(line.options()).isEqualTo(Map.of("format", "json"));
	}

	@Test
	void theToDateIsAMomentWithItsOffset() {
		assertThat(RollbackTargets.date(parse("rollback", "--to-date=2026-11-25T10:15:30+01:00").option("to-date")))
			.isEqualTo(Instant.parse("2026-11-25T09:15:30Z"));
	}

	@Test
	void badInputIsOneLineNamingTheProblemWithExitCodeTwo() {
		assertUsageError(List.of("migrations"), "migrations: No command given.");
		assertUsageError(List.of("migrations", "upgrade"), "migrations: Unknown command 'upgrade'.");
		assertUsageError(List.of("migrations", "status", "now"),
				"migrations: Unexpected argument 'now' for 'migrations status'. Options look like --name=value.");
		assertUsageError(List.of("migrations", "status", "--count=1"),
				"migrations: Unknown option --count for 'migrations status'. Its options: --format.");
		assertUsageError(List.of("migrations", "sql", "--format=json"),
				"migrations: Unknown option --format for 'migrations sql'. It takes no options.");
		assertUsageError(List.of("migrations", "rollback", "--count=2", "--to-tag=v1"),
				"migrations rollback: Give exactly one of --count, --to-tag or --to-date");
		assertUsageError(List.of("migrations", "rollback"),
				"migrations rollback: Give exactly one of --count, --to-tag or --to-date");
		assertUsageError(List.of("migrations", "rollback", "--count=0"),
				"migrations rollback: The count must be at least 1, not 0");
		assertUsageError(List.of("migrations", "rollback", "--count=x"),
				"migrations rollback: --count must be a whole number, not 'x'.");
		assertUsageError(List.of("migrations", "rollback-sql", "--to-date=2026-11-25T10:15:30"),
				"migrations rollback-sql: --to-date=2026-11-25T10:15:30 has no time zone offset: give the moment "
						+ "with its offset, e.g. --to-date=2026-11-25T10:15:30Z (UTC) or "
						+ "--to-date=2026-11-25T10:15:30+01:00.");
		assertUsageError(List.of("migrations", "tag"),
				"migrations tag: --name=... is required. Its options: --name.");
		assertUsageError(List.of("migrations", "tag", "--name"),
				"migrations tag: --name=... is required. Its options: --name.");
		assertUsageError(List.of("migrations", "generate-changelog", "--output= "),
				"migrations generate-changelog: --output=... is required. Its options: --output.");
	}

	private static CommandLine parse(String command, String... options) {
		List<String> args = new ArrayList<>(List.of("migrations", command));
		args.addAll(List.of(options));
		return CommandLine.parse(args);
	}

	/**
	 * Runs the arguments with no database behind the commands: a usage error must be found before anything is
	 * asked of one.
	 */
	private static void assertUsageError(List<String> args, String firstLine) {
		ByteArrayOutputStream out = new ByteArrayOutputStream();
		ByteArrayOutputStream err = new ByteArrayOutputStream();
		int exit = new CommandExecutor(null, "classpath:db/changelog.yaml", print(out), print(err)).execute(args);
		assertThat(exit).as("exit code of %s", args).isEqualTo(CommandExecutor.USAGE);
		assertThat(out.toString(StandardCharsets.UTF_8)).as("stdout of %s", args).isEmpty();
		assertThat(err.toString(StandardCharsets.UTF_8).lines().findFirst()).as("stderr of %s", args)
			.contains(firstLine);
	}

	private static PrintStream print(ByteArrayOutputStream bytes) {
		return new PrintStream(bytes, true, StandardCharsets.UTF_8);
	}

}
