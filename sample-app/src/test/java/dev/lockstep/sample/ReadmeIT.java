package dev.lockstep.sample;

import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;

import dev.lockstep.sample.MigrationsAdoptionIT.StartupCode;
import dev.lockstep.sample.SampleJar.App;
import dev.lockstep.test.TestDatabase;
import dev.lockstep.test.TestDatabases;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

/**
 * Walks README.md: the commands of its quick start and of its adoption walkthrough are read from the README's
 * fenced {@code bash} blocks (found by their section headings) and run for real, so that the README cannot go
 * stale unnoticed. The {@code mvn} commands are not run (this test runs inside that build); they must be exactly
 * the documented ones.
 */
class ReadmeIT {

	static final String QUICK_START = "## Quick start";

	static final String ADOPTION = "## Adopting a database that startup code built";

	/** The build commands the README gives, in order; changing them in the README means changing them here. */
	static final List<String> MVN_COMMANDS = List.of("mvn -B -ntp -q install -DskipTests",
			"mvn -pl sample-app spring-boot:test-run");

	/** The README's test command: the compatibility matrix, which runs this build (so it is not run here). */
	static final String TEST_COMMAND = ".ci/test-matrix";

	/** The address the README's curl commands use: the sample's default port. */
	static final String README_ADDRESS = "localhost:8080";

	private static final Path REPOSITORY = Path.of(System.getProperty("user.dir")).getParent();

	@TempDir
	Path directory;

	private App app;

	@AfterEach
	void stopLeftovers() {
		if (this.app != null) {
			this.app.destroyIfAlive();
		}
	}

	@Test
	void quickStart() throws IOException {
		List<List<String>> commands = commands(QUICK_START);
		List<String> mvn = new ArrayList<>();
		List<String> testCommands = new ArrayList<>();
		List<String> java = null;
		List<List<String>> curls = new ArrayList<>();
		for (List<String> command : commands) {
			switch (command.get(0)) {
				case "mvn" -> mvn.add(String.join(" ", command));
				case TEST_COMMAND -> testCommands.add(String.join(" ", command));
				case "java" -> {
					assertThat(java).as("one java command in '%s'", QUICK_START).isNull();
					java = command;
				}
				case "curl" -> curls.add(command);
				default -> fail("README.md '%s' runs %s, which ReadmeIT does not know how to run", QUICK_START, command);
			}
		}
		assertThat(mvn).as("the mvn commands of README.md '%s'", QUICK_START).containsExactlyElementsOf(MVN_COMMANDS);
		assertThat(testCommands).as("the test command of README.md '%s'", QUICK_START).containsExactly(TEST_COMMAND);
		assertThat(Files.isExecutable(REPOSITORY.resolve(TEST_COMMAND))).as(TEST_COMMAND + " is executable").isTrue();
		assertThat(java).as("a 'java -jar' command in README.md '%s'", QUICK_START).isNotNull();
		assertThat(java.subList(0, 2)).isEqualTo(List.of("java", "-jar"));
		Path jar = Path.of(java.get(2));
		assertThat(Files.isSameFile(REPOSITORY.resolve(jar), SampleJar.packagedJar()))
			.as("README.md's %s is the jar the build packages (%s)", jar, SampleJar.packagedJar())
			.isTrue();

		// As printed, from the repository's root, on a free port and with the data in a directory of this test.
		int port = SampleAppIT.freePort();
		List<String> arguments = new ArrayList<>(java.subList(3, java.size()));
		arguments.add("--server.port=" + port);
		arguments.add("--sample.embedded-postgres.data-dir=" + this.directory.resolve("data"));
		this.app = new SampleJar(REPOSITORY, jar).serve(arguments);

		Map<String, JsonNode> answers = new LinkedHashMap<>();
		for (List<String> curl : curls) {
			Curl call = Curl.parse(curl);
			Http.Response response = Http.send(call.method(), call.uri(port), call.headers(), call.body());
			assertThat(response.status()).as("%s%n-> %s", String.join(" ", curl), response.body()).isBetween(200, 299);
			answers.put(call.method() + " " + call.path(), response.json());
		}
		assertThat(answers).as("what README.md '%s' calls", QUICK_START)
			.containsKeys("POST /customers", "POST /orders", "GET /actuator/migrations",
					"GET /actuator/health/readiness");
		JsonNode customer = answers.get("POST /customers");
		assertThat(customer.get("id").asLong()).isEqualTo(1);
		assertThat(answers.get("POST /orders").get("customerId").asLong()).isEqualTo(1);
		assertThat(answers.get("POST /orders").get("status").asString()).isEqualTo("PLACED");
		answers.entrySet()
			.stream()
			.filter((answer) -> answer.getKey().startsWith("GET /orders"))
			.forEach((answer) -> assertThat(answer.getValue()).as(answer.getKey()).hasSize(1));
		JsonNode migrations = answers.get("GET /actuator/migrations");
		assertThat(migrations.get("state").asString()).isEqualTo("UP_TO_DATE");
		assertThat(migrations.get("current").get("tag").asString()).isEqualTo(Releases.last().version());
		assertThat(answers.get("GET /actuator/health/readiness").get("status").asString()).isEqualTo("UP");
		this.app.stop();
	}

	@Test
	void adoptionWalkthrough() throws IOException {
		List<List<String>> commands = commands(ADOPTION);
		assertThat(commands).as("README.md '%s': generate-changelog, baseline, start", ADOPTION).hasSize(3);
		for (List<String> command : commands) {
			assertThat(command.subList(0, 3)).as("%s in README.md '%s'", command, ADOPTION)
				.isEqualTo(List.of("java", "-jar", "app.jar"));
		}
		List<String> generate = commands.get(0).subList(3, commands.get(0).size());
		List<String> baseline = commands.get(1).subList(3, commands.get(1).size());
		List<String> start = commands.get(2).subList(3, commands.get(2).size());
		assertThat(generate).as("step 1 of README.md '%s'", ADOPTION).startsWith("migrations", "generate-changelog");
		assertThat(baseline).as("step 3 of README.md '%s'", ADOPTION).startsWith("migrations", "baseline");
		assertThat(start).as("step 4 of README.md '%s': a plain start", ADOPTION).doesNotContain("migrations");

		// A database that hand-written startup code built (the sample's v1.0.0 schema, no history).
		TestDatabase database = TestDatabases.create();
		Catalog catalog = new Catalog(database);
		StartupCode.release1To3(database);
		Path work = this.directory.resolve("work");
		SampleJar jar = new SampleJar(work);

		jar.migrations(database, generate.subList(1, generate.size()).toArray(String[]::new)).exits(0);
		String output = generate.stream()
			.filter((word) -> word.startsWith("--output="))
			.findFirst()
			.orElseThrow()
			.substring("--output=".length());
		assertThat(work.resolve(output)).content().contains("tableName: customers", "tableName: orders");

		jar.migrations(database, baseline.subList(1, baseline.size()).toArray(String[]::new)).exits(0);
		assertThat(catalog.historyIds()).containsExactly("2024-01-create-customers", "2024-01-create-orders",
				"2024-01-tag-v1.0.0");

		int port = SampleAppIT.freePort();
		List<String> arguments = new ArrayList<>(start);
		arguments.addAll(List.of(database.springArguments()));
		arguments.add("--server.port=" + port);
		this.app = jar.serve(arguments);
		JsonNode migrations = Http.get(port, "/actuator/migrations").expect(200).json();
		assertThat(migrations.get("state").asString()).isEqualTo("UP_TO_DATE");
		assertThat(migrations.get("current").get("tag").asString()).isEqualTo(Releases.last().version());
		assertThat(migrations.get("appliedCount").asInt()).isEqualTo(Releases.changeSets().size());
		// The rows the startup code wrote, served through every release since.
		JsonNode customers = Http.get(port, "/customers").expect(200).json();
		List<String> names = new ArrayList<>();
		customers.forEach((customer) -> names.add(customer.get("name").asString()));
		assertThat(names).containsExactly("Ada", "Grace");
		Http.get(port, "/actuator/health/readiness").expect(200);
		this.app.stop();
	}

	/** The commands of a section's {@code bash} blocks, as words; comments left out, {@code &&} splits. */
	static List<List<String>> commands(String heading) throws IOException {
		Path readme = REPOSITORY.resolve("README.md");
		assertThat(readme).as("README.md at the repository's root").isRegularFile();
		List<String> lines = Files.readAllLines(readme);
		int start = lines.indexOf(heading);
		assertThat(start).as("README.md has no section '%s' (ReadmeIT runs its commands)", heading).isNotNegative();
		List<List<String>> commands = new ArrayList<>();
		boolean inBash = false;
		boolean inOther = false;
		StringBuilder line = new StringBuilder();
		for (String text : lines.subList(start + 1, lines.size())) {
			if (!inBash && !inOther && text.startsWith("## ")) {
				break;
			}
			String fence = text.strip();
			if (fence.startsWith("```")) {
				if (inBash || inOther) {
					inBash = false;
					inOther = false;
				}
				else if (fence.equals("```bash") || fence.equals("```sh") || fence.equals("```shell")) {
					inBash = true;
				}
				else {
					inOther = true;
				}
				continue;
			}
			if (!inBash) {
				continue;
			}
			if (text.endsWith("\\")) {
				line.append(text, 0, text.length() - 1).append(' ');
				continue;
			}
			line.append(text);
			List<String> command = new ArrayList<>();
			for (String word : words(line.toString())) {
				if (word.equals("&&")) {
					commands.add(command);
					command = new ArrayList<>();
				}
				else {
					command.add(word);
				}
			}
			if (!command.isEmpty()) {
				commands.add(command);
			}
			line.setLength(0);
		}
		commands.removeIf(List::isEmpty);
		assertThat(commands).as("commands in the bash blocks of README.md '%s'", heading).isNotEmpty();
		return commands;
	}

	/** A command line split into words as a POSIX shell does for simple commands: quotes, comments. */
	static List<String> words(String line) {
		List<String> words = new ArrayList<>();
		StringBuilder word = null;
		char quote = 0;
		for (int i = 0; i < line.length(); i++) {
			char c = line.charAt(i);
			if (quote != 0) {
				if (c == quote) {
					quote = 0;
				}
				else if (quote == '"' && c == '\\' && i + 1 < line.length()) {
					word.append(line.charAt(++i));
				}
				else {
					word.append(c);
				}
			}
			else if (Character.isWhitespace(c)) {
				if (word != null) {
					words.add(word.toString());
					word = null;
				}
			}
			else if (c == '#' && word == null) {
				break;
			}
			else {
				if (word == null) {
					word = new StringBuilder();
				}
				if (c == '\'' || c == '"') {
					quote = c;
				}
				else if (c == '\\' && i + 1 < line.length()) {
					word.append(line.charAt(++i));
				}
				else {
					word.append(c);
				}
			}
		}
		assertThat(quote).as("closed quotes in: %s", line).isEqualTo((char) 0);
		if (word != null) {
			words.add(word.toString());
		}
		return words;
	}

	/**
	 * A {@code curl} command line: the options the README uses, and nothing else.
	 */
	record Curl(String method, String address, String path, Map<String, String> headers, String body) {

		static Curl parse(List<String> words) {
			assertThat(words.get(0)).isEqualTo("curl");
			String method = null;
			String url = null;
			String body = null;
			Map<String, String> headers = new LinkedHashMap<>();
			for (int i = 1; i < words.size(); i++) {
				String word = words.get(i);
				if (word.equals("-s") || word.equals("-sS") || word.equals("--silent")) {
					continue;
				}
				if (word.equals("-X") || word.equals("--request")) {
					method = words.get(++i);
				}
				else if (word.startsWith("-X")) {
					method = word.substring(2);
				}
				else if (word.equals("-H") || word.equals("--header")) {
					String[] header = words.get(++i).split(":", 2);
					headers.put(header[0].strip(), header[1].strip());
				}
				else if (word.equals("-d") || word.equals("--data")) {
					body = words.get(++i);
				}
				else if (word.startsWith("-")) {
					fail("curl option %s in README.md: ReadmeIT does not know it (%s)", word, words);
				}
				else {
					assertThat(url).as("one URL in %s", words).isNull();
					url = word;
				}
			}
			assertThat(url).as("the URL in %s", words).isNotNull();
			URI uri = URI.create(url.contains("://") ? url : "http://" + url);
			String address = uri.getHost() + ":" + uri.getPort();
			assertThat(address).as("address of %s", words).isEqualTo(README_ADDRESS);
			String path = uri.getRawPath() + ((uri.getRawQuery() != null) ? "?" + uri.getRawQuery() : "");
			return new Curl((method != null) ? method : ((body != null) ? "POST" : "GET"), address, path, headers, body);
		}

		URI uri(int port) {
			return URI.create("http://localhost:" + port + this.path);
		}

	}

}
