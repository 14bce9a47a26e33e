package dev.lockstep.sample;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import dev.lockstep.test.TestDatabase;
import dev.lockstep.core.test.ThreadPerTask;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Runs the packaged sample-app jar ({@code lockstep.sample.jar}, set by the failsafe plugin) in a JVM of its own,
 * the way CI and operators do: {@code java -jar app.jar migrations <command> --option=value}.
 */
final class SampleJar {

	/** The line the sample's own CommandLineRunner prints (see {@code ReadyMessage}). */
	static final String READY_MARKER = "Lockstep sample ready:";

	private static final Duration TIMEOUT = Duration.ofMinutes(3);

	/** Short-lived JVMs on shared CI cores: C1 only, serial GC. */
	static final List<String> JVM_OPTIONS = List.of("-XX:TieredStopAtLevel=1", "-XX:+UseSerialGC",
			"-Xmx384m", "-Dfile.encoding=UTF-8");

	/** Environment variables the sample's profiles read; a test sets them explicitly or not at all. */
	static final List<String> CLEARED_ENVIRONMENT = List.of("DATABASE_URL", "DATABASE_USER",
			"DATABASE_PASSWORD", "MIGRATIONS_URL", "MIGRATIONS_USER", "MIGRATIONS_PASSWORD", "MIGRATIONS_ENABLED",
			"SPRING_PROFILES_ACTIVE", "SPRING_APPLICATION_JSON", "JAVA_TOOL_OPTIONS", "JDK_JAVA_OPTIONS");

	private final Path jar;

	private final Path workingDirectory;

	/** More JVM options for every run, e.g. {@code -Duser.timezone=America/New_York}. */
	private final List<String> jvmOptions;

	SampleJar(Path workingDirectory) {
		this(workingDirectory, packagedJar());
	}

	/**
	 * @param workingDirectory the directory the JVMs run in
	 * @param jar the jar, absolute or relative to the working directory (as a README command names it)
	 */
	SampleJar(Path workingDirectory, Path jar) {
		this(workingDirectory, jar, List.of());
	}

	private SampleJar(Path workingDirectory, Path jar, List<String> jvmOptions) {
		this.jar = jar;
		this.jvmOptions = List.copyOf(jvmOptions);
		assertThat(workingDirectory.resolve(jar)).as("the sample jar %s (in %s)", jar, workingDirectory)
			.isRegularFile();
		this.workingDirectory = workingDirectory;
	}

	/** The same jar, run with more JVM options (e.g. {@code -Duser.timezone=America/New_York}). */
	SampleJar withJvmOptions(String... options) {
		List<String> all = new ArrayList<>(this.jvmOptions);
		all.addAll(Arrays.asList(options));
		return new SampleJar(this.workingDirectory, this.jar, all);
	}

	/** The sample jar the build packaged ({@code lockstep.sample.jar}, set by failsafe after 'package'). */
	static Path packagedJar() {
		String location = System.getProperty("lockstep.sample.jar");
		assertThat(location).as("system property lockstep.sample.jar (set by failsafe after 'package')").isNotBlank();
		return Path.of(location);
	}

	/**
	 * {@code java -jar app.jar migrations <args> <database arguments>}: runs a command to its end.
	 */
	Run migrations(TestDatabase database, String... args) {
		return migrations(database, Map.of(), args);
	}

	Run migrations(TestDatabase database, Map<String, String> environment, String... args) {
		List<String> arguments = new ArrayList<>();
		arguments.add("migrations");
		arguments.addAll(Arrays.asList(args));
		arguments.addAll(Arrays.asList(database.springArguments()));
		Run run = run(arguments, environment);
		// Commands exit before the application's runners: the sample's "ready" line never shows.
		assertThat(run.stdout()).as("stdout of %s", run.command()).doesNotContain(READY_MARKER);
		return run;
	}

	/**
	 * Starts the application normally (web server on a free port, startup run in the configured mode). Returns
	 * once it printed its ready line, then stops it, or once it exited on its own (a refused start).
	 */
	Run start(TestDatabase database, String... args) {
		List<String> arguments = new ArrayList<>(Arrays.asList(args));
		arguments.add("--server.port=0");
		arguments.addAll(Arrays.asList(database.springArguments()));
		Process process = launch(arguments, Map.of());
		long started = System.nanoTime();
		StringBuilder out = new StringBuilder();
		CompletableFuture<String> err = drain(process.getErrorStream());
		boolean ready = false;
		try (BufferedReader lines = new BufferedReader(
				new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
			String line;
			while ((line = lines.readLine()) != null) {
				out.append(line).append('\n');
				if (line.startsWith(READY_MARKER)) {
					ready = true;
					break;
				}
			}
			if (ready) {
				// SIGTERM through the handle: Process.destroy() would also close the streams still being read.
				process.toHandle().destroy();
				// Keep reading so the process never blocks on a full pipe while it shuts down.
				while ((line = lines.readLine()) != null) {
					out.append(line).append('\n');
				}
			}
			if (!process.waitFor(TIMEOUT.toSeconds(), TimeUnit.SECONDS)) {
				process.destroyForcibly();
				throw new AssertionError("The application did not stop in time: " + out);
			}
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			process.destroyForcibly();
			throw new AssertionError(ex);
		}
		Run run = new Run(describe(arguments), ready ? 0 : process.exitValue(), out.toString(), err.join(),
				Duration.ofNanos(System.nanoTime() - started), ready);
		log(run);
		return run;
	}

	/**
	 * Starts the application exactly with the arguments given ({@code java -jar app.jar <args>}, no database
	 * arguments added) and returns once it printed its ready line; it keeps running until {@link App#stop()}.
	 */
	App serve(List<String> args) {
		List<String> arguments = List.copyOf(args);
		Process process = launch(arguments, Map.of());
		App app = new App(describe(arguments), process);
		app.awaitReady();
		return app;
	}

	private Run run(List<String> arguments, Map<String, String> environment) {
		Process process = launch(arguments, environment);
		long started = System.nanoTime();
		CompletableFuture<String> out = drain(process.getInputStream());
		CompletableFuture<String> err = drain(process.getErrorStream());
		try {
			if (!process.waitFor(TIMEOUT.toSeconds(), TimeUnit.SECONDS)) {
				process.destroyForcibly();
				throw new AssertionError("Timed out after " + TIMEOUT + ": " + describe(arguments) + "\n"
						+ out.getNow("") + err.getNow(""));
			}
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			process.destroyForcibly();
			throw new AssertionError(ex);
		}
		Run run = new Run(describe(arguments), process.exitValue(), out.join(), err.join(),
				Duration.ofNanos(System.nanoTime() - started), false);
		log(run);
		return run;
	}

	private Process launch(List<String> arguments, Map<String, String> environment) {
		List<String> command = new ArrayList<>();
		command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
		command.addAll(JVM_OPTIONS);
		command.addAll(SampleJarArchive.options(this.jar));
		command.addAll(this.jvmOptions);
		command.add("-jar");
		command.add(this.jar.toString());
		command.addAll(arguments);
		ProcessBuilder builder = new ProcessBuilder(command).directory(this.workingDirectory.toFile());
		CLEARED_ENVIRONMENT.forEach(builder.environment()::remove);
		builder.environment().putAll(environment);
		try {
			Files.createDirectories(this.workingDirectory);
			return builder.start();
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
	}

	private static CompletableFuture<String> drain(InputStream stream) {
		return CompletableFuture.supplyAsync(() -> {
			try (stream) {
				return new String(stream.readAllBytes(), StandardCharsets.UTF_8);
			}
			catch (IOException ex) {
				throw new UncheckedIOException(ex);
			}
		}, ThreadPerTask.EXECUTOR);
	}

	private static String describe(List<String> arguments) {
		// The database arguments are the same for every run: leave them out of reports.
		return "java -jar app.jar " + String.join(" ",
				arguments.stream().filter((argument) -> !argument.startsWith("--spring.datasource.")).toList());
	}

	private static void log(Run run) {
		System.out.printf("$ %s  -> exit %d (%d ms)%n", run.command(), run.exitCode(), run.took().toMillis());
	}

	/**
	 * A running application, started by {@link #serve(List)}.
	 */
	static final class App {

		private final String command;

		private final Process process;

		private final long started = System.nanoTime();

		private final StringBuffer stdout = new StringBuffer();

		private final CompletableFuture<Boolean> ready = new CompletableFuture<>();

		private final CompletableFuture<Void> stdoutDone;

		private final CompletableFuture<String> stderr;

		App(String command, Process process) {
			this.command = command;
			this.process = process;
			this.stderr = drain(process.getErrorStream());
			this.stdoutDone = CompletableFuture.runAsync(this::readStdout, ThreadPerTask.EXECUTOR);
		}

		private void readStdout() {
			try (BufferedReader lines = new BufferedReader(
					new InputStreamReader(this.process.getInputStream(), StandardCharsets.UTF_8))) {
				String line;
				while ((line = lines.readLine()) != null) {
					this.stdout.append(line).append('\n');
					if (line.startsWith(READY_MARKER)) {
						this.ready.complete(true);
					}
				}
			}
			catch (IOException ex) {
				// The process is gone.
			}
			finally {
				this.ready.complete(false);
			}
		}

		private void awaitReady() {
			boolean isReady;
			try {
				isReady = this.ready.get(TIMEOUT.toSeconds(), TimeUnit.SECONDS);
			}
			catch (java.util.concurrent.TimeoutException ex) {
				this.process.destroyForcibly();
				throw new AssertionError("Not ready after " + TIMEOUT + ": " + this.command + "\n" + this.stdout);
			}
			catch (InterruptedException ex) {
				Thread.currentThread().interrupt();
				this.process.destroyForcibly();
				throw new AssertionError(ex);
			}
			catch (java.util.concurrent.ExecutionException ex) {
				throw new AssertionError(ex);
			}
			if (!isReady) {
				Run run = stopped();
				throw new AssertionError("The application did not get ready: " + this.command + " exited with "
						+ run.exitCode() + "\n--- stdout:\n" + run.stdout() + "\n--- stderr:\n" + run.stderr());
			}
			System.out.printf("$ %s  -> ready (%d ms)%n", this.command,
					Duration.ofNanos(System.nanoTime() - this.started).toMillis());
		}

		/** The port the application listens on, from its ready line. */
		int port() {
			java.util.regex.Matcher matcher = java.util.regex.Pattern
				.compile(java.util.regex.Pattern.quote(READY_MARKER) + " try GET http://localhost:(\\d+)/")
				.matcher(this.stdout);
			assertThat(matcher.find()).as("port in the ready line of%n%s", this.stdout).isTrue();
			return Integer.parseInt(matcher.group(1));
		}

		/** What it printed on stdout so far. */
		String stdout() {
			return this.stdout.toString();
		}

		/** Stops it with SIGTERM, as an operator or Kubernetes does, and waits until it exited. */
		Run stop() {
			if (this.process.isAlive()) {
				this.process.toHandle().destroy();
			}
			Run run = stopped();
			log(run);
			return run;
		}

		private Run stopped() {
			try {
				if (!this.process.waitFor(TIMEOUT.toSeconds(), TimeUnit.SECONDS)) {
					this.process.destroyForcibly();
					throw new AssertionError("Did not stop within " + TIMEOUT + ": " + this.command + "\n" + this.stdout);
				}
			}
			catch (InterruptedException ex) {
				Thread.currentThread().interrupt();
				this.process.destroyForcibly();
				throw new AssertionError(ex);
			}
			this.stdoutDone.join();
			return new Run(this.command, this.process.exitValue(), this.stdout.toString(), this.stderr.join(),
					Duration.ofNanos(System.nanoTime() - this.started), this.ready.getNow(false));
		}

		/**
		 * Stops it if a test failed before stopping it: SIGTERM, then, if it does not exit, SIGKILL for it and the
		 * processes it started (its embedded PostgreSQL).
		 */
		void destroyIfAlive() {
			if (!this.process.isAlive()) {
				return;
			}
			List<ProcessHandle> children = this.process.descendants().toList();
			this.process.toHandle().destroy();
			try {
				if (!this.process.waitFor(30, TimeUnit.SECONDS)) {
					this.process.destroyForcibly();
					children.forEach(ProcessHandle::destroyForcibly);
				}
			}
			catch (InterruptedException ex) {
				Thread.currentThread().interrupt();
				this.process.destroyForcibly();
				children.forEach(ProcessHandle::destroyForcibly);
			}
		}

	}

	/**
	 * A finished run.
	 *
	 * @param command what ran (without the database arguments)
	 * @param exitCode the process's exit code (0 for a normal start that got ready and was stopped)
	 * @param stdout everything it printed on stdout
	 * @param stderr everything it printed on stderr
	 * @param took how long it ran
	 * @param ready whether a normal start printed the ready line
	 */
	record Run(String command, int exitCode, String stdout, String stderr, Duration took, boolean ready) {

		/** Asserts the exit code, showing the output when it differs. */
		Run exits(int expected) {
			assertThat(this.exitCode).as("exit code of %s%n--- stdout:%n%s%n--- stderr:%n%s", this.command,
					this.stdout, this.stderr).isEqualTo(expected);
			return this;
		}

		/** Asserts a failure reported as exactly one line on stderr, and returns that line. */
		String errorLine() {
			List<String> lines = this.stderr.lines().filter((line) -> !line.isBlank()).toList();
			assertThat(lines).as("stderr of %s (one line expected)%n--- stdout:%n%s", this.command, this.stdout)
				.hasSize(1);
			return lines.get(0);
		}

		String output() {
			return this.stdout + this.stderr;
		}

		void print() {
			System.out.println("---- " + this.command + "  (exit " + this.exitCode + ")");
			System.out.print(this.stdout);
			System.out.println("----");
		}

	}

}
