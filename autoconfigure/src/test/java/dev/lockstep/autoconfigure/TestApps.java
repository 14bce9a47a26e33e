package dev.lockstep.autoconfigure;

import java.io.IOException;
import java.net.ServerSocket;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.WebApplicationType;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.context.ConfigurableApplicationContext;

import dev.lockstep.test.TestDatabase;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

/**
 * Starts real Spring Boot applications for the tests, the way a user's {@code main} does.
 * <p>
 * Application classes here are deliberately not {@code @Configuration}/{@code @Component}: a
 * {@code @SpringBootApplication} elsewhere in this package (SmokeTests) would otherwise component-scan them.
 */
final class TestApps {

	/** Hibernate is slow to start; applications that do not test JPA leave it out. */
	static final String WITHOUT_JPA = "--spring.autoconfigure.exclude="
			+ "org.springframework.boot.hibernate.autoconfigure.HibernateJpaAutoConfiguration,"
			+ "org.springframework.boot.data.jpa.autoconfigure.DataJpaRepositoriesAutoConfiguration";

	private static final String FAILED_TO_START = "APPLICATION FAILED TO START";

	private TestApps() {
	}

	/** The smallest Spring Boot application: auto-configuration only, no component scan. */
	@EnableAutoConfiguration
	static class PlainApp {

	}

	static SpringApplication application(Class<?>... sources) {
		SpringApplication application = new SpringApplication((sources.length > 0) ? sources
				: new Class<?>[] { PlainApp.class });
		application.setWebApplicationType(WebApplicationType.NONE);
		return application;
	}

	/** Starts a plain application (no JPA) on the given database with extra {@code name=value} properties. */
	static ConfigurableApplicationContext run(TestDatabase db, String... properties) {
		return application().run(arguments(db, true, properties));
	}

	/** Starts a plain application (no JPA) that must fail, and returns the failure. */
	static Throwable fail(TestDatabase db, String... properties) {
		return startupFailure(application(), arguments(db, true, properties));
	}

	static Throwable startupFailure(SpringApplication application, String... arguments) {
		Throwable failure = catchThrowable(() -> application.run(arguments).close());
		assertThat(failure).as("the application should have refused to start").isNotNull();
		return failure;
	}

	static String[] arguments(TestDatabase db, boolean withoutJpa, String... properties) {
		List<String> arguments = new ArrayList<>();
		if (db != null) {
			arguments.addAll(Arrays.asList(db.springArguments()));
		}
		if (withoutJpa) {
			arguments.add(WITHOUT_JPA);
		}
		for (String property : properties) {
			arguments.add("--" + property);
		}
		return arguments.toArray(String[]::new);
	}

	/**
	 * The "APPLICATION FAILED TO START" report Spring Boot printed (through the registered FailureAnalyzers), from
	 * its "Description:" on.
	 */
	static String failureReport(CapturedOutput output) {
		String all = output.getAll();
		int start = all.lastIndexOf(FAILED_TO_START);
		assertThat(start).as("Spring Boot's failure report in the output").isGreaterThanOrEqualTo(0);
		String report = all.substring(start);
		int description = report.indexOf("Description:");
		assertThat(description).as("a FailureAnalyzer's description").isGreaterThanOrEqualTo(0);
		return report.substring(description);
	}

	/** A local port nothing listens on. */
	static int closedPort() {
		try (ServerSocket socket = new ServerSocket(0)) {
			return socket.getLocalPort();
		}
		catch (IOException ex) {
			throw new IllegalStateException(ex);
		}
	}

}
