package dev.lockstep.process;

import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * One {@link LockstepTestApp} running in a JVM of its own, its stdout and stderr captured to files under
 * {@code target/}.
 */
final class ChildProcess {

	private static final Pattern READY_LINE = Pattern
		.compile(Pattern.quote(LockstepTestApp.READY) + " pid=(\\d+) epochMillis=(\\d+)");

	private final String name;

	private final Process process;

	private final Path stdout;

	private final Path stderr;

	private ChildProcess(String name, Process process, Path stdout, Path stderr) {
		this.name = name;
		this.process = process;
		this.stdout = stdout;
		this.stderr = stderr;
	}

	/**
	 * Starts the test application in a new JVM with the test's own classes (see {@link ChildJvm}).
	 * @param directory where its output files go
	 * @param name its name (also the output files' name)
	 * @param environment extra environment variables
	 * @param arguments application arguments
	 */
	static ChildProcess start(Path directory, String name, Map<String, String> environment, List<String> arguments) {
		try {
			Files.createDirectories(directory);
			Path stdout = directory.resolve(name + ".out");
			Path stderr = directory.resolve(name + ".err");
			List<String> command = ChildJvm.command(arguments);
			ProcessBuilder builder = new ProcessBuilder(command).redirectOutput(stdout.toFile())
				.redirectError(stderr.toFile())
				.redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")));
			builder.environment().putAll(environment);
			return new ChildProcess(name, builder.start(), stdout, stderr);
		}
		catch (IOException ex) {
			throw new UncheckedIOException("Could not start " + name, ex);
		}
	}

	String name() {
		return this.name;
	}

	long pid() {
		return this.process.pid();
	}

	boolean isAlive() {
		return this.process.isAlive();
	}

	/** SIGKILL (on Linux). */
	void kill() {
		this.process.destroyForcibly();
	}

	/** SIGTERM (on Linux). */
	void terminate() {
		this.process.destroy();
	}

	/** Waits for the process to end; {@code null} when it is still running after the timeout. */
	Integer awaitExit(Duration timeout) {
		try {
			return this.process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS) ? this.process.exitValue() : null;
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			throw new IllegalStateException(ex);
		}
	}

	String stdout() {
		return read(this.stdout);
	}

	/** Both streams, for assertion messages. */
	String output() {
		return "\n----- " + this.name + " (pid " + pid() + ") stdout: " + this.stdout.toAbsolutePath() + "\n"
				+ stdout() + "\n----- " + this.name + " stderr: " + this.stderr.toAbsolutePath() + "\n"
				+ read(this.stderr) + "\n----- end of " + this.name + "\n";
	}

	/** When the process printed its ready line (its own clock), or {@code null} if it has not. */
	Long readyEpochMillis() {
		Matcher ready = READY_LINE.matcher(stdout());
		return ready.find() ? Long.valueOf(ready.group(2)) : null;
	}

	boolean isReady() {
		return readyEpochMillis() != null;
	}

	boolean printed(String text) {
		return stdout().contains(text) || read(this.stderr).contains(text);
	}

	/** The first stdout line that contains the text, or {@code null}. */
	String lineContaining(String text) {
		return stdout().lines().filter((line) -> line.contains(text)).findFirst().orElse(null);
	}

	/**
	 * The time of the first log line that contains the text, from Spring Boot's default console format (an ISO
	 * offset date-time first), or {@code null}.
	 */
	Instant loggedAt(String text) {
		String line = lineContaining(text);
		if (line == null) {
			return null;
		}
		int space = line.indexOf(' ');
		try {
			return OffsetDateTime.parse((space > 0) ? line.substring(0, space) : line).toInstant();
		}
		catch (DateTimeParseException ex) {
			return null;
		}
	}

	/**
	 * Waits until the condition holds; gives up when the process has ended and the condition still does not hold,
	 * or when the timeout ends.
	 */
	boolean await(BooleanSupplier condition, Duration timeout) {
		long deadline = System.nanoTime() + timeout.toNanos();
		while (System.nanoTime() - deadline < 0) {
			if (condition.getAsBoolean()) {
				return true;
			}
			if (!this.process.isAlive()) {
				return condition.getAsBoolean();
			}
			sleep(50);
		}
		return condition.getAsBoolean();
	}

	static void sleep(long millis) {
		try {
			Thread.sleep(millis);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			throw new IllegalStateException(ex);
		}
	}

	/** Ends the process and its descendants, whatever state they are in. */
	void destroy() {
		this.process.descendants().forEach(ProcessHandle::destroyForcibly);
		this.process.destroyForcibly();
		awaitExit(Duration.ofSeconds(10));
	}

	private static String read(Path file) {
		try {
			// Lenient decoding: the process may be in the middle of writing a character.
			return Files.exists(file) ? new String(Files.readAllBytes(file), StandardCharsets.UTF_8) : "";
		}
		catch (IOException ex) {
			return "(could not read " + file + ": " + ex.getMessage() + ")";
		}
	}

	@Override
	public String toString() {
		return this.name + " (pid " + pid() + ")";
	}

}
