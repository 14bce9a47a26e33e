package dev.lockstep.core.problem;

/**
 * How the edge that shows a problem names what the user can set or run. The core knows that a problem is fixed
 * by, say, the changelog setting or the {@code update} command; only the edge (the Spring Boot failure report, the
 * command line) knows that these are {@code migrations.change-log} and {@code java -jar app.jar migrations update}.
 * Problems are phrased through it ({@link MigrationException#message(Wording)}); {@link #NEUTRAL} phrases them
 * for logs and run results.
 */
public interface Wording {

	/** Names a setting (or a group of settings), e.g. {@code migrations.change-log}. */
	String setting(Setting setting);

	/** Names a command option, e.g. {@code --count}. */
	String option(Option option);

	/**
	 * Names a command to run.
	 * @param command the command
	 * @param arguments its arguments, phrased with {@link #option}, or empty
	 * @param full whether to name the whole command line ({@code java -jar app.jar migrations update}) rather than
	 * the short form ({@code migrations update})
	 */
	String command(Command command, String arguments, boolean full);

	/** Words that name no integration: the settings as {@code MigrationSettings} calls them. */
	Wording NEUTRAL = new Wording() {

		@Override
		public String setting(Setting setting) {
			return switch (setting) {
				case CONNECTION -> "the migration DataSource's url, user and password";
				case URL -> "the migration DataSource's url";
				case DATABASE -> "the migration DataSource's url and defaultSchema";
				case CHANGE_LOG -> "changeLog";
				case ALLOW_AHEAD -> "allowAhead";
				case MODE -> "mode";
				case LOCK_WAIT_TIMEOUT -> "lockWaitTimeout";
				case DRIFT_IGNORE -> "driftIgnore";
				case DDL_LOCK_TIMEOUT -> "the DDL lock timeout or retries (DdlSettings)";
				case LINT_FAIL_ON -> "lintFailOn";
				case TENANTS_ON_FAILURE -> "the target's TenantFailureMode";
			};
		}

		@Override
		public String option(Option option) {
			return option.name().toLowerCase(java.util.Locale.ROOT).replace('_', '-');
		}

		@Override
		public String command(Command command, String arguments, boolean full) {
			return command.name().toLowerCase(java.util.Locale.ROOT).replace('_', '-')
					+ (arguments.isEmpty() ? "" : " " + arguments);
		}

	};

	/** Settings a problem may be fixed with. */
	enum Setting {

		/** Where the migration database is and how to log in. */
		CONNECTION,

		/** The migration database's URL alone. */
		URL,

		/** Which database and schema the migrations work on. */
		DATABASE,

		/** The master changelog. */
		CHANGE_LOG,

		/** Whether validate starts on a database ahead of the changelog. */
		ALLOW_AHEAD,

		/** What a startup does (apply, validate, report). */
		MODE,

		/** How long a run waits for another instance's run before giving up. */
		LOCK_WAIT_TIMEOUT,

		/** Which schema objects drift checks leave out. */
		DRIFT_IGNORE,

		/** How long a changeset's statements wait for a lock, and how often a changeset that timed out is retried. */
		DDL_LOCK_TIMEOUT,

		/** Which lint findings make an apply refuse to run. */
		LINT_FAIL_ON,

		/** Whether a failing tenant fails the start of the application. */
		TENANTS_ON_FAILURE

	}

	/** Command options a problem may be fixed with. */
	enum Option {

		COUNT, TO_TAG, TO_DATE, FORCE, OUTPUT, DRY_RUN, AGAINST, RECORD

	}

	/** Commands a problem may be fixed with. */
	enum Command {

		UPDATE, ROLLBACK, BASELINE, GENERATE_CHANGELOG, DIFF

	}

}
