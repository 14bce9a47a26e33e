package dev.lockstep.endpoint;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;

import dev.lockstep.command.CommandExecutor;
import dev.lockstep.core.MigrationCommands;
import dev.lockstep.core.MigrationEngine;
import dev.lockstep.core.problem.MigrationException;
import dev.lockstep.test.ChangeLogFile;
import dev.lockstep.test.RunningApp.Response;
import dev.lockstep.test.RunningApp;
import dev.lockstep.test.TestDatabase;
import dev.lockstep.test.TestDatabases;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * No password, user secret or URL credential in any endpoint or health output (nor in the log), even when the
 * JDBC URL carries them as query parameters. The test server trusts every local connection, so the distinctive
 * passwords below are accepted whatever they are. Changelog parameter values (which may be secrets) are masked in
 * the SQL shown for review, and no row data from a database error is recorded or shown.
 */
@ExtendWith(OutputCaptureExtension.class)
class MigrationsEndpointSecretsTests {

	private static final AtomicInteger counter = new AtomicInteger();

	private static final String URL_PASSWORD = "UrlPw-7f3a9c-query";

	private static final String DATASOURCE_PASSWORD = "DsPw-b21e4d-spring";

	private static final String MIGRATIONS_PASSWORD = "MigPw-c0ffee-ddl";

	/** A changelog parameter configured as {@code migrations.parameters.app.password}. */
	private static final String PARAMETER_SECRET = "ParamPw-5e1f0a-changelog";

	/** A changelog parameter Liquibase resolves from a system property. */
	private static final String SYSTEM_PROPERTY = "lockstep.test.token";

	private static final String SYSTEM_PROPERTY_SECRET = "SysPropToken-9d4c2b";

	/** Row data of a unique violation: PostgreSQL's DETAIL would show it. */
	private static final String ROW_EMAIL = "ana.secret-row@example.com";

	private static final String CUSTOMERS_WITH_EMAIL = """
			  - changeSet:
			      id: 1-customers
			      author: ana
			      changes:
			        - sql:
			            sql: CREATE TABLE customers (id bigint PRIMARY KEY, email varchar(320) NOT NULL CONSTRAINT customers_email_key UNIQUE)
			        - sql:
			            sql: INSERT INTO customers (id, email) VALUES (1, '%s')
			""".formatted(ROW_EMAIL);

	private static final String DUPLICATE_EMAIL = """
			  - changeSet:
			      id: 2-duplicate-customer
			      author: ben
			      changes:
			        - sql:
			            sql: INSERT INTO customers (id, email) VALUES (3, '${app.password}'), (2, '%s')
			""".formatted(ROW_EMAIL);

	/** Uses both secret parameters, in its changes and in its rollback. */
	private static final String SECRET_PARAMETERS = """
			  - changeSet:
			      id: 2-secret-comments
			      author: ops
			      changes:
			        - sql:
			            sql: COMMENT ON TABLE customers IS 'pw ${app.password}'
			        - sql:
			            sql: COMMENT ON COLUMN customers.email IS 'token ${lockstep.test.token}; limit ${app.limit}'
			      rollback:
			        - sql:
			            sql: COMMENT ON TABLE customers IS 'was ${app.password}'
			""";

	private static final List<String> PATHS = List.of("/actuator/migrations", "/actuator/migrations/history",
			"/actuator/migrations/pending", "/actuator/health", "/actuator/health/migrations");

	@TempDir
	Path dir;

	@Test
	void noCredentialInAnyOutputWhileChangesArePending(CapturedOutput output) {
		TestDatabase db = TestDatabases.create();
		String user = "lockstep_secret_user_" + counter.incrementAndGet();
		db.execute("CREATE ROLE " + user + " LOGIN SUPERUSER PASSWORD '" + URL_PASSWORD + "'");
		ChangeLogFile changeLog = ChangeLogFile.in(this.dir).write(ChangeLogFile.CUSTOMERS);
		changeLog.applyTo(db);
		changeLog.write(ChangeLogFile.CUSTOMERS, ChangeLogFile.ORDERS, ChangeLogFile.EMAIL);
		String url = db.url() + "?user=" + user + "&password=" + URL_PASSWORD + "&ApplicationName=app";
		List<String> secrets = List.of(URL_PASSWORD, DATASOURCE_PASSWORD, MIGRATIONS_PASSWORD, user, "password=");
		try (RunningApp app = RunningApp.start(null, "spring.datasource.url=" + url,
				"spring.datasource.username=" + user, "spring.datasource.password=" + DATASOURCE_PASSWORD,
				"migrations.url=" + url, "migrations.user=" + user, "migrations.password=" + MIGRATIONS_PASSWORD,
				changeLog.property(), "migrations.mode=report")) {
			assertThat(app.json("/actuator/migrations").path("state").asString()).isEqualTo("PENDING");
			assertThat(app.json("/actuator/migrations").path("database").path("url").asString()).isEqualTo(db.url());
			assertNoSecret(app, secrets);
			for (String[] command : List.of(new String[] { "sql" }, new String[] { "rollback-sql", "--count=1" })) {
				Command run = Command.run(app, command);
				assertThat(run.exitCode()).as(run.err()).isZero();
				assertThat(run.out()).as(command[0]).contains(db.url());
				for (String secret : secrets) {
					assertThat(run.out()).as(command[0] + " must not show " + secret).doesNotContainIgnoringCase(secret);
				}
			}
		}
		assertThat(output.getAll()).doesNotContain(URL_PASSWORD, DATASOURCE_PASSWORD, MIGRATIONS_PASSWORD);
	}

	@Test
	void noCredentialInAnyOutputWhenTheDatabaseIsUnreachable(CapturedOutput output) throws Exception {
		int closedPort;
		try (ServerSocket socket = new ServerSocket(0)) {
			closedPort = socket.getLocalPort();
		}
		String user = "lockstep_secret_user_unreachable";
		String base = "jdbc:postgresql://localhost:" + closedPort + "/app";
		String url = base + "?user=" + user + "&password=" + URL_PASSWORD;
		List<String> secrets = List.of(URL_PASSWORD, DATASOURCE_PASSWORD, MIGRATIONS_PASSWORD, user, "password=");
		try (RunningApp app = RunningApp.start(null, "spring.datasource.url=" + url,
				"spring.datasource.username=" + user, "spring.datasource.password=" + DATASOURCE_PASSWORD,
				"migrations.password=" + MIGRATIONS_PASSWORD, "migrations.mode=report")) {
			assertThat(app.json("/actuator/migrations").path("state").asString()).isEqualTo("UNAVAILABLE");
			assertThat(app.json("/actuator/migrations").path("database").path("url").asString()).isEqualTo(base);
			assertThat(app.get("/actuator/migrations/pending").status()).isEqualTo(503);
			assertNoSecret(app, secrets);
		}
		assertThat(output.getAll()).doesNotContain(URL_PASSWORD, DATASOURCE_PASSWORD, MIGRATIONS_PASSWORD);
	}

	@Test
	void noCredentialInTheFailedRunsError(CapturedOutput output) {
		TestDatabase db = TestDatabases.create();
		String user = "lockstep_secret_user_" + counter.incrementAndGet();
		db.execute("CREATE ROLE " + user + " LOGIN SUPERUSER");
		String url = db.url() + "?user=" + user + "&password=" + URL_PASSWORD;
		ChangeLogFile changeLog = ChangeLogFile.in(this.dir).write(ChangeLogFile.CUSTOMERS, ChangeLogFile.BROKEN);
		String[] properties = { "spring.datasource.url=" + url, "spring.datasource.username=" + user,
				"spring.datasource.password=" + DATASOURCE_PASSWORD, changeLog.property() };
		RunningApp.failToStart(null, properties);
		try (RunningApp app = RunningApp.start(null, append(properties, "migrations.mode=report"))) {
			assertThat(app.json("/actuator/migrations").path("state").asString()).isEqualTo("FAILED");
			assertNoSecret(app, List.of(URL_PASSWORD, DATASOURCE_PASSWORD, user, "password="));
		}
		assertThat(db.rows("SELECT error FROM lockstep_last_run").get(0).get(0)).doesNotContain(URL_PASSWORD, user);
		assertThat(output.getAll()).doesNotContain(URL_PASSWORD, DATASOURCE_PASSWORD);
	}

	@Test
	void parameterValuesAreMaskedInPendingSqlAndInTheSqlCommands(CapturedOutput output) {
		TestDatabase db = TestDatabases.create();
		ChangeLogFile changeLog = ChangeLogFile.in(this.dir).write(CUSTOMERS_WITH_EMAIL);
		changeLog.applyTo(db);
		changeLog.write(CUSTOMERS_WITH_EMAIL, SECRET_PARAMETERS);
		System.setProperty(SYSTEM_PROPERTY, SYSTEM_PROPERTY_SECRET);
		try (RunningApp app = RunningApp.start(db, changeLog.property(), "migrations.mode=report",
				"migrations.parameters.app.password=" + PARAMETER_SECRET, "migrations.parameters.app.limit=10")) {
			String pending = app.get("/actuator/migrations/pending").body();
			assertThat(pending).contains("COMMENT ON TABLE customers IS 'pw ${app.password}'")
				.contains("token ${lockstep.test.token}; limit 10")
				.doesNotContain(PARAMETER_SECRET, SYSTEM_PROPERTY_SECRET);
			assertNoSecret(app, List.of(PARAMETER_SECRET, SYSTEM_PROPERTY_SECRET));
			Command sql = Command.run(app, "sql");
			assertThat(sql.exitCode()).as(sql.err()).isZero();
			assertThat(sql.out()).contains("COMMENT ON TABLE customers IS 'pw ${app.password}';")
				.contains("token ${lockstep.test.token}; limit 10")
				.doesNotContain(PARAMETER_SECRET, SYSTEM_PROPERTY_SECRET);
			Command update = Command.run(app, "update");
			assertThat(update.exitCode()).as(update.err()).isZero();
			assertThat(db.rows("SELECT obj_description('customers'::regclass)").get(0).get(0))
				.as("the database gets the real value").isEqualTo("pw " + PARAMETER_SECRET);
			Command rollbackSql = Command.run(app, "rollback-sql", "--count=1");
			assertThat(rollbackSql.exitCode()).as(rollbackSql.err()).isZero();
			assertThat(rollbackSql.out()).contains("COMMENT ON TABLE customers IS 'was ${app.password}'")
				.doesNotContain(PARAMETER_SECRET, SYSTEM_PROPERTY_SECRET);
		}
		finally {
			System.clearProperty(SYSTEM_PROPERTY);
		}
		assertThat(output.getAll()).doesNotContain(PARAMETER_SECRET, SYSTEM_PROPERTY_SECRET);
	}

	@Test
	void parameterValuesAreShownWhenAskedFor() {
		TestDatabase db = TestDatabases.create();
		ChangeLogFile changeLog = ChangeLogFile.in(this.dir).write(CUSTOMERS_WITH_EMAIL);
		changeLog.applyTo(db);
		changeLog.write(CUSTOMERS_WITH_EMAIL, SECRET_PARAMETERS);
		System.setProperty(SYSTEM_PROPERTY, SYSTEM_PROPERTY_SECRET);
		try (RunningApp app = RunningApp.start(db, changeLog.property(), "migrations.mode=report",
				"migrations.parameters.app.password=" + PARAMETER_SECRET, "migrations.parameters.app.limit=10",
				"migrations.show-parameter-values=true")) {
			assertThat(app.get("/actuator/migrations/pending").body())
				.contains("COMMENT ON TABLE customers IS 'pw " + PARAMETER_SECRET + "'")
				.contains("token " + SYSTEM_PROPERTY_SECRET + "; limit 10");
			Command sql = Command.run(app, "sql");
			assertThat(sql.exitCode()).as(sql.err()).isZero();
			assertThat(sql.out()).contains("COMMENT ON TABLE customers IS 'pw " + PARAMETER_SECRET + "';")
				.contains("token " + SYSTEM_PROPERTY_SECRET);
		}
		finally {
			System.clearProperty(SYSTEM_PROPERTY);
		}
	}

	@Test
	void noRowDataFromAFailedRunIsRecordedOrShown(CapturedOutput output) {
		TestDatabase db = TestDatabases.create();
		ChangeLogFile changeLog = ChangeLogFile.in(this.dir).write(CUSTOMERS_WITH_EMAIL, DUPLICATE_EMAIL);
		String parameter = "migrations.parameters.app.password=" + PARAMETER_SECRET;
		Throwable failure = RunningApp.failToStart(db, changeLog.property(), parameter);
		assertThat(messages(failure)).contains("customers_email_key").doesNotContain(ROW_EMAIL);
		String startup = output.getAll();
		assertThat(startup).contains("APPLICATION FAILED TO START");
		String analysis = startup.substring(startup.lastIndexOf("APPLICATION FAILED TO START"));
		assertThat(analysis).contains("customers_email_key").contains("23505").doesNotContain(ROW_EMAIL);
		String recorded = db.rows("SELECT error FROM lockstep_last_run").get(0).get(0);
		assertThat(recorded).contains("duplicate key value violates unique constraint \"customers_email_key\"")
			.contains("SQLState 23505")
			.doesNotContain(ROW_EMAIL)
			.doesNotContainIgnoringCase("Detail");
		try (RunningApp second = RunningApp.start(db, changeLog.property(), parameter, "migrations.mode=report")) {
			assertThat(second.json("/actuator/migrations").path("lastRun").path("error").asString())
				.contains("customers_email_key")
				.doesNotContain(ROW_EMAIL);
			assertThat(second.json("/actuator/migrations").path("state").asString()).isEqualTo("FAILED");
			// The pending SQL shows the changeset's own text (the e-mail is in the changelog), its parameter masked.
			assertNoSecret(second, List.of(PARAMETER_SECRET));
			for (String path : List.of("/actuator/migrations", "/actuator/health", "/actuator/health/migrations")) {
				assertThat(second.get(path).body()).as(path).doesNotContain(ROW_EMAIL);
			}
			Command update = Command.run(second, "update");
			assertThat(update.exitCode()).isEqualTo(CommandExecutor.FAILED);
			assertThat(update.err()).contains("customers_email_key").doesNotContain(ROW_EMAIL, PARAMETER_SECRET);
		}
		assertThat(output.getAll()).as("the log, Liquibase's included").doesNotContain(ROW_EMAIL, PARAMETER_SECRET);
	}

	/** The startup failure's messages, down to Lockstep's own exception (its causes are Liquibase's and pgjdbc's). */
	private static String messages(Throwable failure) {
		StringBuilder messages = new StringBuilder();
		for (Throwable ex = failure; ex != null; ex = ex.getCause()) {
			messages.append(ex.getMessage()).append('\n');
			if (ex instanceof MigrationException) {
				return messages.toString();
			}
		}
		throw new AssertionError("No MigrationException in " + failure);
	}

	/**
	 * A {@code java -jar app.jar migrations <command>} run in this JVM, on the application's own engine.
	 *
	 * @param exitCode the command's exit code
	 * @param out what it printed on stdout
	 * @param err what it printed on stderr
	 */
	private record Command(int exitCode, String out, String err) {

		static Command run(RunningApp app, String... args) {
			ByteArrayOutputStream out = new ByteArrayOutputStream();
			ByteArrayOutputStream err = new ByteArrayOutputStream();
			List<String> commandLine = new ArrayList<>(List.of("migrations"));
			commandLine.addAll(List.of(args));
			int code = new CommandExecutor(new MigrationCommands(app.bean(MigrationEngine.class)), "changelog",
					new PrintStream(out, true, StandardCharsets.UTF_8), new PrintStream(err, true, StandardCharsets.UTF_8))
				.execute(commandLine);
			return new Command(code, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
		}

	}

	private static void assertNoSecret(RunningApp app, List<String> secrets) {
		for (String path : PATHS) {
			Response response = app.get(path);
			assertThat(response.status()).as(path).isIn(200, 503);
			assertThat(response.body()).as(path).isNotBlank();
			for (String secret : secrets) {
				assertThat(response.body()).as(path + " must not show " + secret).doesNotContainIgnoringCase(secret);
			}
		}
	}

	private static String[] append(String[] properties, String property) {
		String[] all = java.util.Arrays.copyOf(properties, properties.length + 1);
		all[properties.length] = property;
		return all;
	}

}
