package dev.lockstep.command;

import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import org.springframework.boot.EnvironmentPostProcessor;
import org.springframework.boot.SpringApplication;
import org.springframework.core.env.CommandLinePropertySource;
import org.springframework.core.env.ConfigurableEnvironment;
import org.springframework.core.env.MapPropertySource;
import org.springframework.core.env.PropertySource;

/**
 * Switches an application started with {@code migrations <command>} into command mode: no web server, lazy beans
 * (so the application's own startup work does not run), no startup migration run, quiet logs.
 */
public class MigrationsCommandEnvironmentPostProcessor implements EnvironmentPostProcessor {

	/** Set (to the command's name) while the application runs a migrations command. */
	public static final String COMMAND_PROPERTY = "lockstep.command";

	static final String PROPERTY_SOURCE_NAME = "lockstepCommand";

	@Override
	public void postProcessEnvironment(ConfigurableEnvironment environment, SpringApplication application) {
		List<String> args = nonOptionArgs(environment);
		if (!CommandLine.isCommand(args)) {
			return;
		}
		String command = (args.size() > 1) ? args.get(1) : "help";
		boolean changing = List.of("update", "rollback", "baseline", "tag").contains(command);
		Map<String, Object> properties = new HashMap<>();
		properties.put(COMMAND_PROPERTY, command);
		properties.put("spring.main.web-application-type", "none");
		properties.put("spring.main.lazy-initialization", "true");
		properties.put("spring.main.banner-mode", "off");
		properties.put("spring.main.log-startup-info", "false");
		properties.put("logging.level.root", "warn");
		// Progress lines of changing commands are their output; the rest stays quiet (e.g. sql > review.sql).
		properties.put("logging.level.dev.lockstep", changing ? "info" : "warn");
		properties.put("logging.level.dev.lockstep.core.lock", "info");
		MapPropertySource source = new MapPropertySource(PROPERTY_SOURCE_NAME, properties);
		if (environment.getPropertySources().contains(CommandLinePropertySource.COMMAND_LINE_PROPERTY_SOURCE_NAME)) {
			// Options given on the command line still win, e.g. --logging.level.root=info.
			environment.getPropertySources()
				.addAfter(CommandLinePropertySource.COMMAND_LINE_PROPERTY_SOURCE_NAME, source);
		}
		else {
			environment.getPropertySources().addFirst(source);
		}
	}

	private static List<String> nonOptionArgs(ConfigurableEnvironment environment) {
		PropertySource<?> source = environment.getPropertySources()
			.get(CommandLinePropertySource.COMMAND_LINE_PROPERTY_SOURCE_NAME);
		if (source == null) {
			return List.of();
		}
		Object value = source.getProperty(CommandLinePropertySource.DEFAULT_NON_OPTION_ARGS_PROPERTY_NAME);
		if (value == null) {
			return List.of();
		}
		return Arrays.stream(value.toString().split(",")).map(String::strip).toList();
	}

}
