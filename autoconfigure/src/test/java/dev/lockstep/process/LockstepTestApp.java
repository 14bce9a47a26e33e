package dev.lockstep.process;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.WebApplicationType;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.context.ConfigurableApplicationContext;

/**
 * A small Spring Boot service that uses the starter, started in separate JVM processes by {@link ProcessIT}.
 * <p>
 * It prints {@value #READY} (with its pid and the wall-clock time) once the application context has started,
 * that is once the startup migration run is over, then closes the context and exits 0. A failed startup prints
 * {@value #FAILED} and exits 1, after Spring Boot's failure report. A process the tests kill never gets that far:
 * it is stopped while its migration run holds or waits for the lock.
 */
@SpringBootApplication(excludeName = {
		// JPA is on the test classpath for other tests; it only slows these processes down.
		"org.springframework.boot.hibernate.autoconfigure.HibernateJpaAutoConfiguration",
		"org.springframework.boot.hibernate.autoconfigure.metrics.HibernateMetricsAutoConfiguration",
		"org.springframework.boot.data.jpa.autoconfigure.DataJpaRepositoriesAutoConfiguration" })
public class LockstepTestApp {

	/** Printed once the context has started: {@code LOCKSTEP-TEST-READY pid=<pid> epochMillis=<ms>}. */
	public static final String READY = "LOCKSTEP-TEST-READY";

	/** Printed when startup failed, before exiting 1. */
	public static final String FAILED = "LOCKSTEP-TEST-FAILED";

	public static void main(String[] args) {
		SpringApplication application = new SpringApplication(LockstepTestApp.class);
		application.setWebApplicationType(WebApplicationType.NONE);
		ConfigurableApplicationContext context;
		try {
			context = application.run(args);
		}
		catch (Throwable ex) {
			System.out.println(FAILED + " pid=" + ProcessHandle.current().pid() + " " + ex);
			System.out.flush();
			System.exit(1);
			return;
		}
		System.out.println(READY + " pid=" + ProcessHandle.current().pid() + " epochMillis="
				+ System.currentTimeMillis());
		System.out.flush();
		context.close();
		System.exit(0);
	}

}
