package dev.lockstep.test;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.WebApplicationType;
import org.springframework.context.ConfigurableApplicationContext;

/**
 * A {@link TestApplication} started on random ports, with real HTTP requests against it.
 * <p>
 * Properties are given as {@code name=value}; later values replace earlier ones (command-line arguments would
 * join duplicates with commas instead).
 */
public final class RunningApp implements AutoCloseable {

	private static final HttpClient http = HttpClient.newBuilder()
		.connectTimeout(Duration.ofSeconds(5))
		.version(HttpClient.Version.HTTP_1_1)
		.build();

	private static final JsonMapper json = JsonMapper.builder().build();

	private final ConfigurableApplicationContext context;

	private RunningApp(ConfigurableApplicationContext context) {
		this.context = context;
	}

	/** Properties every web test starts with. */
	public static Map<String, String> webDefaults() {
		Map<String, String> properties = new LinkedHashMap<>();
		properties.put("server.port", "0");
		properties.put("spring.application.name", "lockstep-test");
		properties.put("management.endpoints.web.exposure.include", "health,migrations,metrics");
		properties.put("management.endpoint.health.show-details", "always");
		return properties;
	}

	/** Starts a web application against the database with the given extra properties. */
	public static RunningApp start(TestDatabase db, String... properties) {
		return new RunningApp(run(WebApplicationType.SERVLET, merge(db, properties)));
	}

	/** Starts an application without a web server (another instance doing its startup run). */
	public static ConfigurableApplicationContext startInstance(TestDatabase db, String... properties) {
		Map<String, String> all = merge(db, properties);
		all.remove("server.port");
		return run(WebApplicationType.NONE, all);
	}

	/** Starts an application without a web server and returns why it failed to start. */
	public static Throwable failToStart(TestDatabase db, String... properties) {
		try (ConfigurableApplicationContext context = startInstance(db, properties)) {
			throw new AssertionError("The application started but was expected to fail");
		}
		catch (RuntimeException ex) {
			return ex;
		}
	}

	private static Map<String, String> merge(TestDatabase db, String... properties) {
		Map<String, String> all = webDefaults();
		if (db != null) {
			all.put("spring.datasource.url", db.url());
			all.put("spring.datasource.username", db.user());
			all.put("spring.datasource.password", db.password());
		}
		for (String property : properties) {
			int equals = property.indexOf('=');
			all.put(property.substring(0, equals), property.substring(equals + 1));
		}
		return all;
	}

	private static ConfigurableApplicationContext run(WebApplicationType type, Map<String, String> properties) {
		SpringApplication application = new SpringApplication(TestApplication.class);
		application.setWebApplicationType(type);
		List<String> args = new ArrayList<>();
		properties.forEach((name, value) -> args.add("--" + name + "=" + value));
		return application.run(args.toArray(String[]::new));
	}

	public ConfigurableApplicationContext context() {
		return this.context;
	}

	public <T> T bean(Class<T> type) {
		return this.context.getBean(type);
	}

	public int port() {
		return Integer.parseInt(this.context.getEnvironment().getRequiredProperty("local.server.port"));
	}

	/** The management server's port (the main port when there is no separate management server). */
	public int managementPort() {
		String port = this.context.getEnvironment().getProperty("local.management.port");
		return (port != null) ? Integer.parseInt(port) : port();
	}

	public Response get(String path) {
		return get(port(), path);
	}

	public Response get(int port, String path) {
		return send(HttpRequest.newBuilder(uri(port, path)).GET().build());
	}

	public Response post(String path) {
		return send(HttpRequest.newBuilder(uri(port(), path))
			.header("Content-Type", "application/json")
			.POST(HttpRequest.BodyPublishers.ofString("{}"))
			.build());
	}

	/** GET that must answer 200 with JSON. */
	public JsonNode json(String path) {
		Response response = get(path);
		if (response.status() != 200) {
			throw new AssertionError("GET " + path + " answered " + response.status() + ": " + response.body());
		}
		return response.json();
	}

	private static URI uri(int port, String path) {
		return URI.create("http://localhost:" + port + path);
	}

	public static Response send(HttpRequest request) {
		try {
			HttpResponse<String> response = http.send(request, HttpResponse.BodyHandlers.ofString());
			return new Response(response.statusCode(), response.body());
		}
		catch (IOException ex) {
			throw new IllegalStateException(request.uri().toString(), ex);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			throw new IllegalStateException(ex);
		}
	}

	public static JsonNode parse(String body) {
		return json.readTree(body);
	}

	/** Pretty-printed JSON, as the README quotes it. */
	public static String pretty(String body) {
		return json.writerWithDefaultPrettyPrinter().writeValueAsString(parse(body));
	}

	@Override
	public void close() {
		this.context.close();
	}

	/**
	 * An HTTP answer.
	 *
	 * @param status status code
	 * @param body body text
	 */
	public record Response(int status, String body) {

		public JsonNode json() {
			return parse(this.body);
		}

	}

}
