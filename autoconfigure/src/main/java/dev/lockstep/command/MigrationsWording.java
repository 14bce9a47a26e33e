package dev.lockstep.command;

import dev.lockstep.core.problem.Wording;

/**
 * Names settings, options and commands in a problem the way a Spring Boot user meets them: {@code migrations.*}
 * properties (or {@code spring.datasource.*}), and {@code java -jar app.jar migrations <command> --option}. Used by
 * the failure report, the command line and the run's log lines.
 */
public final class MigrationsWording implements Wording {

	public static final MigrationsWording INSTANCE = new MigrationsWording();

	private MigrationsWording() {
	}

	@Override
	public String setting(Setting setting) {
		return switch (setting) {
			case CONNECTION -> "migrations.url/user/password, or spring.datasource.*";
			case URL -> "migrations.url";
			case DATABASE -> "spring.datasource.url, migrations.url, migrations.default-schema";
			case CHANGE_LOG -> "migrations.change-log";
			case ALLOW_AHEAD -> "migrations.validate.allow-ahead";
			case MODE -> "migrations.mode";
			case LOCK_WAIT_TIMEOUT -> "migrations.lock.wait-timeout";
			case DRIFT_IGNORE -> "migrations.drift.ignore";
			case DDL_LOCK_TIMEOUT -> "migrations.ddl.lock-timeout or migrations.ddl.retries";
			case LINT_FAIL_ON -> "migrations.lint.fail-on";
			case TENANTS_ON_FAILURE -> "migrations.targets.<name>.tenants.on-failure";
		};
	}

	@Override
	public String option(Option option) {
		return "--" + Wording.NEUTRAL.option(option);
	}

	@Override
	public String command(Command command, String arguments, boolean full) {
		return (full ? "java -jar app.jar " : "") + "migrations " + Wording.NEUTRAL.command(command, arguments, full);
	}

}
