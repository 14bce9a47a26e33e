package dev.lockstep.sample;

import java.beans.PropertyDescriptor;
import java.io.IOException;
import java.io.InputStream;
import java.io.Reader;
import java.net.URL;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.Enumeration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.yaml.snakeyaml.Yaml;
import org.springframework.beans.BeanUtils;
import org.springframework.boot.context.properties.bind.Bindable;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.boot.context.properties.source.ConfigurationPropertyName;
import org.springframework.boot.context.properties.source.ConfigurationPropertySource;
import org.springframework.boot.context.properties.source.ConfigurationPropertySources;
import org.springframework.boot.context.properties.source.ConfigurationPropertyState;
import org.springframework.boot.env.YamlPropertySourceLoader;
import org.springframework.core.env.AbstractEnvironment;
import org.springframework.core.env.MutablePropertySources;
import org.springframework.core.env.PropertySource;
import org.springframework.core.env.StandardEnvironment;
import org.springframework.core.env.SystemEnvironmentPropertySource;
import org.springframework.core.io.ClassPathResource;
import org.springframework.util.ClassUtils;

import dev.lockstep.autoconfigure.MigrationsProperties;
import dev.lockstep.command.CommandExecutor;
import dev.lockstep.core.api.MigrationMode;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

/**
 * The files in {@code deploy/} are meant to be copied: every one of them is parsed, and what they tell the
 * application must exist. Every {@code java -jar ... migrations <command>} names a real command with real
 * options; every {@code MIGRATIONS_*}, {@code SPRING_*} and {@code MANAGEMENT_*} variable binds (by Spring Boot's
 * relaxed binding) to a property that some configuration metadata documents; every other variable is one the
 * sample's configuration reads; each workload gets every variable its profile requires; the profile exists; and the
 * readiness probe asks the readiness group, which includes the {@code migrations} contributor.
 */
class DeployFilesTest {

	private static final Path DEPLOY = Path.of(System.getProperty("user.dir")).resolveSibling("deploy");

	private static final Pattern REQUIRED_PLACEHOLDER = Pattern.compile("\\$\\{([A-Z][A-Z0-9_]*)}");

	private static final List<String> PROPERTY_PREFIXES = List.of("MIGRATIONS_", "SPRING_", "MANAGEMENT_");

	private static List<Document> documents;

	private static Map<String, JsonNode> metadata;

	@BeforeAll
	static void readDeployFilesAndMetadata() throws IOException {
		assertThat(DEPLOY).as("the deploy directory next to sample-app").isDirectory();
		documents = new ArrayList<>();
		try (Stream<Path> files = Files.walk(DEPLOY)) {
			for (Path file : files.filter((path) -> path.toString().endsWith(".yml") || path.toString().endsWith(".yaml"))
				.sorted()
				.toList()) {
				try (Reader reader = Files.newBufferedReader(file)) {
					for (Object yaml : new Yaml().loadAll(reader)) {
						if (yaml != null) {
							documents.add(new Document(DEPLOY.relativize(file).toString(), yaml));
						}
					}
				}
			}
		}
		assertThat(documents).extracting(Document::file)
			.contains("ci/github-actions.yml", "k8s/migrations-job.yaml", "k8s/deployment.yaml",
					"k8s/secret.example.yaml");
		metadata = new LinkedHashMap<>();
		JsonMapper json = JsonMapper.builder().build();
		Enumeration<URL> resources = DeployFilesTest.class.getClassLoader()
			.getResources("META-INF/spring-configuration-metadata.json");
		for (URL url : Collections.list(resources)) {
			try (InputStream in = url.openStream()) {
				for (JsonNode property : json.readTree(in).path("properties")) {
					metadata.putIfAbsent(property.get("name").asString(), property);
				}
			}
		}
		assertThat(metadata).as("configuration metadata on the classpath")
			.containsKeys("migrations.mode", "spring.profiles.active", "management.endpoint.health.group");
	}

	@Test
	void everyMigrationsCommandExistsWithItsOptions() {
		List<Invocation> invocations = new ArrayList<>();
		for (Document document : documents) {
			walk(document.yaml(), "", (path, node) -> {
				if (node instanceof String script) {
					script.lines().forEach((line) -> invocation(document, path, List.of(line.trim().split("\\s+")))
						.ifPresent(invocations::add));
				}
				else if (node instanceof Map<?, ?> map && map.get("command") instanceof List<?> command) {
					// A container: command and args together.
					List<String> words = new ArrayList<>(command.stream().map(String::valueOf).toList());
					if (map.get("args") instanceof List<?> args) {
						args.stream().map(String::valueOf).forEach(words::add);
					}
					invocation(document, path, words).ifPresent(invocations::add);
				}
			});
		}
		for (Invocation invocation : invocations) {
			assertThat(CommandExecutor.commandNames()).as("command of %s", invocation).contains(invocation.command());
			for (String option : invocation.options()) {
				String name = option.substring(2).split("=", 2)[0];
				if (!name.contains(".")) {
					assertThat(CommandExecutor.optionNames(invocation.command())).as("option %s of %s", option, invocation)
						.contains(name);
				}
			}
		}
		// And none went unnoticed.
		assertThat(invocations).extracting((invocation) -> invocation.file() + ": " + invocation.command())
			.as("the migrations commands deploy/ runs")
			.containsExactlyInAnyOrder("ci/github-actions.yml: check", "ci/github-actions.yml: sql",
					"ci/github-actions.yml: update", "ci/github-actions.yml: check", "k8s/migrations-job.yaml: update");
	}

	private static java.util.Optional<Invocation> invocation(Document document, String path, List<String> words) {
		int jar = words.indexOf("-jar");
		if (jar < 0 || !words.get(0).equals("java") || words.size() < jar + 2) {
			return java.util.Optional.empty();
		}
		List<String> rest = words.subList(jar + 2, words.size());
		if (rest.isEmpty() || !rest.get(0).equals("migrations")) {
			return java.util.Optional.empty();
		}
		assertThat(rest).as("%s %s: a command after 'migrations'", document.file(), path).hasSizeGreaterThan(1);
		List<String> options = rest.subList(2, rest.size()).stream().takeWhile((word) -> word.startsWith("--")).toList();
		return java.util.Optional.of(new Invocation(document.file(), path, rest.get(1), options));
	}

	@Test
	void everyEnvironmentVariableIsOneTheApplicationReads() {
		Map<String, String> variables = new LinkedHashMap<>();
		for (Document document : documents) {
			environment(document).forEach((name, value) -> variables.put(name, document.file() + ": " + name));
		}
		String configuration = applicationConfiguration();
		for (String name : variables.keySet()) {
			if (PROPERTY_PREFIXES.stream().anyMatch(name::startsWith)) {
				String property = documentedProperty(name);
				JsonNode deprecation = metadata.get(property).path("deprecation");
				assertThat(deprecation.path("level").asString("")).as("%s binds to %s, which is no longer supported",
						variables.get(name), property)
					.isNotEqualTo("error");
			}
			else {
				assertThat(configuration).as("%s: a variable the sample's configuration reads (${%s...})",
						variables.get(name), name)
					.containsAnyOf("${" + name + "}", "${" + name + ":");
			}
		}
		// And none went unnoticed.
		assertThat(variables).as("environment variables in deploy/")
			.containsKeys("SPRING_PROFILES_ACTIVE", "MIGRATIONS_MODE", "DATABASE_URL", "MIGRATIONS_USER");
	}

	/**
	 * The documented property a variable binds to, by Spring Boot's own rules for environment variables: its
	 * canonical name ({@code MIGRATIONS_LOCK_WAITTIMEOUT}), its legacy one ({@code MIGRATIONS_LOCK_WAIT_TIMEOUT}), or
	 * an entry of a documented map whose value type has that property.
	 */
	private static String documentedProperty(String variable) {
		ConfigurationPropertySource source = ConfigurationPropertySource
			.from(new SystemEnvironmentPropertySource(StandardEnvironment.SYSTEM_ENVIRONMENT_PROPERTY_SOURCE_NAME,
					Map.of(variable, "value")));
		for (Map.Entry<String, JsonNode> entry : metadata.entrySet()) {
			if (!ConfigurationPropertyName.isValid(entry.getKey())) {
				continue;
			}
			ConfigurationPropertyName property = ConfigurationPropertyName.of(entry.getKey());
			if (source.getConfigurationProperty(property) != null) {
				return entry.getKey();
			}
			String type = entry.getValue().path("type").asString("");
			if (type.startsWith("java.util.Map<") && source.containsDescendantOf(property) == ConfigurationPropertyState.PRESENT
					&& mapValueHasProperty(type, variable, property)) {
				return entry.getKey();
			}
		}
		return fail("%s binds to no property documented in the configuration metadata on the classpath (relaxed binding: "
				+ "%s)", variable, variable.toLowerCase(Locale.ROOT).replace('_', '.'));
	}

	private static boolean mapValueHasProperty(String mapType, String variable, ConfigurationPropertyName map) {
		String valueType = mapType.substring(mapType.indexOf(',') + 1, mapType.length() - 1).trim();
		if (valueType.startsWith("java.")) {
			// Map<String, String> and the like (e.g. migrations.parameters.*): any key.
			return true;
		}
		String[] words = variable.toLowerCase(Locale.ROOT).split("_");
		// MANAGEMENT_ENDPOINT_HEALTH_GROUP_READINESS_INCLUDE: the map's name, one word of key, then the property.
		int keyIndex = map.getNumberOfElements();
		if (words.length != keyIndex + 2) {
			return words.length == keyIndex + 1;
		}
		String property = words[keyIndex + 1];
		if (!ClassUtils.isPresent(valueType, DeployFilesTest.class.getClassLoader())) {
			return true;
		}
		Class<?> type = ClassUtils.resolveClassName(valueType, DeployFilesTest.class.getClassLoader());
		return Arrays.stream(BeanUtils.getPropertyDescriptors(type))
			.map(PropertyDescriptor::getName)
			.anyMatch((name) -> name.equalsIgnoreCase(property));
	}

	@Test
	void everyWorkloadGetsTheVariablesItsProfileNeeds() {
		Map<String, String> secrets = secretKeys();
		List<Workload> workloads = workloads(secrets);
		assertThat(workloads).extracting(Workload::name)
			.contains("ci/github-actions.yml jobs.review-migrations", "ci/github-actions.yml jobs.deploy",
					"k8s/migrations-job.yaml migrations", "k8s/deployment.yaml orders");
		for (Workload workload : workloads) {
			String profiles = workload.environment().get("SPRING_PROFILES_ACTIVE");
			assertThat(profiles).as("SPRING_PROFILES_ACTIVE of %s", workload.name()).isNotBlank();
			for (String profile : profiles.split(",")) {
				String file = "application-" + profile.trim() + ".yaml";
				assertThat(new ClassPathResource(file).exists()).as("%s (profile of %s)", file, workload.name()).isTrue();
				Matcher required = REQUIRED_PLACEHOLDER.matcher(read(file));
				while (required.find()) {
					assertThat(workload.environment()).as("%s needs %s (required by %s)", workload.name(),
							required.group(1), file)
						.containsKey(required.group(1));
				}
			}
		}
	}

	@Test
	void theDeploymentValidatesAndItsReadinessProbeIncludesTheMigrationsContributor() throws IOException {
		Workload deployment = workloads(secretKeys()).stream()
			.filter((workload) -> workload.name().equals("k8s/deployment.yaml orders"))
			.findFirst()
			.orElseThrow();
		Map<?, ?> container = deployment.container();
		Map<String, Integer> ports = new LinkedHashMap<>();
		for (Object port : (List<?>) container.get("ports")) {
			ports.put(String.valueOf(((Map<?, ?>) port).get("name")), (Integer) ((Map<?, ?>) port).get("containerPort"));
		}
		Map<?, ?> readiness = (Map<?, ?>) ((Map<?, ?>) container.get("readinessProbe")).get("httpGet");
		assertThat(readiness.get("path")).isEqualTo("/actuator/health/readiness");
		for (String probe : List.of("readinessProbe", "livenessProbe", "startupProbe")) {
			Map<?, ?> httpGet = (Map<?, ?>) ((Map<?, ?>) container.get(probe)).get("httpGet");
			assertThat(ports).as("port of the %s", probe).containsKey(String.valueOf(httpGet.get("port")));
			assertThat(String.valueOf(httpGet.get("path"))).as("path of the %s", probe)
				.isIn("/actuator/health/readiness", "/actuator/health/liveness");
		}
		assertThat(ports.values()).containsExactly(8080);

		// The configuration the container runs with: its variables over its profile's file over application.yaml.
		Binder binder = binder(deployment);
		assertThat(binder.bind("management.endpoint.health.probes.enabled", Boolean.class).orElse(false)).isTrue();
		assertThat(binder.bind("management.endpoint.health.group.readiness.include", Bindable.setOf(String.class))
			.orElse(Set.of())).contains("migrations", "readinessState");
		assertThat(binder.bind("management.endpoints.web.exposure.include", Bindable.setOf(String.class))
			.orElse(Set.of("health"))).contains("health");
		MigrationsProperties migrations = binder.bind("migrations", MigrationsProperties.class)
			.orElseGet(MigrationsProperties::new);
		assertThat(migrations.getMode()).as("migrations.mode of the Deployment").isEqualTo(MigrationMode.VALIDATE);
		assertThat(migrations.getUser()).as("migrations.user of the Deployment").isEqualTo(deployment.environment()
			.get("MIGRATIONS_USER"));
	}

	private static Binder binder(Workload workload) throws IOException {
		MutablePropertySources sources = new MutablePropertySources();
		sources.addLast(new SystemEnvironmentPropertySource(StandardEnvironment.SYSTEM_ENVIRONMENT_PROPERTY_SOURCE_NAME,
				new LinkedHashMap<>(workload.environment())));
		YamlPropertySourceLoader loader = new YamlPropertySourceLoader();
		for (String profile : workload.environment().get("SPRING_PROFILES_ACTIVE").split(",")) {
			loader.load("profile", new ClassPathResource("application-" + profile.trim() + ".yaml"))
				.forEach(sources::addLast);
		}
		loader.load("application", new ClassPathResource("application.yaml")).forEach(sources::addLast);
		// No system properties or variables of this JVM: only what the workload gets.
		AbstractEnvironment environment = new AbstractEnvironment() {
		};
		for (PropertySource<?> source : sources) {
			environment.getPropertySources().addLast(source);
		}
		ConfigurationPropertySources.attach(environment);
		return Binder.get(environment);
	}

	/** The keys of the example Secret: the variables {@code envFrom: secretRef} gives a container. */
	private static Map<String, String> secretKeys() {
		Map<String, String> keys = new LinkedHashMap<>();
		for (Document document : documents) {
			if (document.yaml() instanceof Map<?, ?> map && "Secret".equals(map.get("kind"))) {
				Object data = (map.get("stringData") != null) ? map.get("stringData") : map.get("data");
				((Map<?, ?>) data).forEach((key, value) -> keys.put(String.valueOf(key), String.valueOf(value)));
			}
		}
		assertThat(keys).as("the example Secret's keys").isNotEmpty();
		return keys;
	}

	/**
	 * The places the application runs: GitHub Actions jobs that call the jar, and Kubernetes containers, each with
	 * the variables it gets.
	 */
	private static List<Workload> workloads(Map<String, String> secretKeys) {
		List<Workload> workloads = new ArrayList<>();
		for (Document document : documents) {
			if (!(document.yaml() instanceof Map<?, ?> root)) {
				continue;
			}
			if (root.get("jobs") instanceof Map<?, ?> jobs) {
				Map<String, String> workflow = variables(root.get("env"));
				jobs.forEach((name, job) -> {
					Map<String, String> environment = new LinkedHashMap<>(workflow);
					environment.putAll(variables(((Map<?, ?>) job).get("env")));
					if (String.valueOf(job).contains("java -jar")) {
						workloads.add(new Workload(document.file() + " jobs." + name, environment, null));
					}
				});
			}
			walk(root, "", (path, node) -> {
				if (node instanceof Map<?, ?> map && map.get("image") != null && map.get("name") != null) {
					Map<String, String> environment = new LinkedHashMap<>();
					if (map.get("envFrom") instanceof List<?> envFrom) {
						for (Object from : envFrom) {
							assertThat(((Map<?, ?>) from).get("secretRef")).as("envFrom of %s", path).isNotNull();
							environment.putAll(secretKeys);
						}
					}
					environment.putAll(variables(map.get("env")));
					workloads.add(new Workload(document.file() + " " + map.get("name"), environment, map));
				}
			});
		}
		return workloads;
	}

	/** The variables a document sets: {@code env:} maps (GitHub Actions), {@code env:} lists (Kubernetes), Secret keys. */
	private static Map<String, String> environment(Document document) {
		Map<String, String> variables = new LinkedHashMap<>();
		walk(document.yaml(), "", (path, node) -> {
			if (node instanceof Map<?, ?> map && map.containsKey("env")) {
				variables.putAll(variables(map.get("env")));
			}
		});
		if (document.yaml() instanceof Map<?, ?> map && "Secret".equals(map.get("kind"))) {
			variables.putAll(secretKeys());
		}
		return variables;
	}

	private static Map<String, String> variables(Object env) {
		Map<String, String> variables = new LinkedHashMap<>();
		if (env instanceof Map<?, ?> map) {
			map.forEach((name, value) -> variables.put(String.valueOf(name), String.valueOf(value)));
		}
		else if (env instanceof List<?> list) {
			for (Object item : list) {
				Map<?, ?> variable = (Map<?, ?>) item;
				variables.put(String.valueOf(variable.get("name")), String.valueOf(variable.get("value")));
			}
		}
		return variables;
	}

	private static String applicationConfiguration() {
		StringBuilder text = new StringBuilder();
		for (String file : List.of("application.yaml", "application-prod.yaml")) {
			text.append(read(file)).append('\n');
		}
		return text.toString();
	}

	private static String read(String resource) {
		try (InputStream in = new ClassPathResource(resource).getInputStream()) {
			return new String(in.readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
		}
		catch (IOException ex) {
			throw new java.io.UncheckedIOException(resource, ex);
		}
	}

	private static void walk(Object node, String path, Visitor visitor) {
		visitor.visit(path, node);
		if (node instanceof Map<?, ?> map) {
			map.forEach((key, value) -> walk(value, path.isEmpty() ? String.valueOf(key) : path + "." + key, visitor));
		}
		else if (node instanceof List<?> list) {
			for (int i = 0; i < list.size(); i++) {
				walk(list.get(i), path + "[" + i + "]", visitor);
			}
		}
	}

	interface Visitor {

		void visit(String path, Object node);

	}

	record Document(String file, Object yaml) {
	}

	record Invocation(String file, String path, String command, List<String> options) {
	}

	record Workload(String name, Map<String, String> environment, Map<?, ?> container) {
	}

}
