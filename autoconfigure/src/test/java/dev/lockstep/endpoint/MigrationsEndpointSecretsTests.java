package dev.lockstep.endpoint;

import java.net.ServerSocket;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;

import dev.lockstep.test.ChangeLogFile;
import dev.lockstep.test.RunningApp;
import dev.lockstep.test.RunningApp.Response;
import dev.lockstep.test.TestDatabase;
import dev.lockstep.test.TestDatabases;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * No password, user secret or URL credential in any endpoint or health output (nor in the log), even when the
 * JDBC URL carries them as query parameters. The test server trusts every local connection, so the distinctive
 * passwords below are accepted whatever they are.
 */
@ExtendWith(OutputCaptureExtension.class)
class MigrationsEndpointSecretsTests {

	private static final AtomicInteger counter = new AtomicInteger();

	private static final String URL_PASSWORD = "UrlPw-7f3a9c-query";

	private static final String DATASOURCE_PASSWORD = "DsPw-b21e4d-spring";

	private static final String MIGRATIONS_PASSWORD = "MigPw-c0ffee-ddl";

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
