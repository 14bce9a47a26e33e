package dev.lockstep.sample;

import org.springframework.boot.CommandLineRunner;
import org.springframework.core.env.Environment;
import org.springframework.stereotype.Component;

/**
 * Says where the service can be reached once it has started (and so once its schema is in place). It does not run
 * for {@code java -jar app.jar migrations <command>}: commands exit before the application's runners.
 */
@Component
class ReadyMessage implements CommandLineRunner {

	/** The start of the line this runner prints. */
	static final String PREFIX = "Lockstep sample ready:";

	private final Environment environment;

	ReadyMessage(Environment environment) {
		this.environment = environment;
	}

	@Override
	public void run(String... args) {
		System.out.println(PREFIX + " try GET http://localhost:"
				+ this.environment.getProperty("local.server.port", "8080") + "/customers");
	}

}
