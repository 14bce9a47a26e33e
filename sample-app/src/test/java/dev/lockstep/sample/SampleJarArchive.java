package dev.lockstep.sample;

import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import dev.lockstep.test.TestDatabase;
import dev.lockstep.test.TestDatabases;

/**
 * A class-data sharing archive of the classes the packaged sample jar loads, for the JVMs {@link SampleJar}
 * starts.
 * <p>
 * The packaged-jar tests start about a hundred JVMs of the same jar, one after another; most of each one's CPU
 * time goes into loading and verifying the same few thousand classes. One training run per test JVM ({@code
 * migrations update} on a fresh database) dumps them into a dynamic CDS archive ({@code -XX:ArchiveClassesAtExit});
 * the runs map it ({@code -XX:SharedArchiveFile}). The archive never changes what a run does: when the JVM cannot
 * use it (another jar, another JDK) it loads the classes as before, and its CDS warnings are switched off so that
 * the output the tests read stays the application's own.
 */
final class SampleJarArchive {

	/** One per test JVM: test JVMs may run side by side. */
	private static final Path DIRECTORY = Path.of("target", "sample-jar-cds",
			String.valueOf(ProcessHandle.current().pid()));

	private static SampleJarArchive instance;

	private final Path archive;

	private SampleJarArchive(Path archive) {
		this.archive = archive;
	}

	/**
	 * The JVM options that map the archive for a run of {@code jar}: none unless it is the packaged jar, named as
	 * the archive's training run named it (the archive records the class path as given).
	 */
	static List<String> options(Path jar) {
		if (!jar.equals(SampleJar.packagedJar())) {
			return List.of();
		}
		SampleJarArchive archive = get();
		if (archive.archive == null) {
			return List.of();
		}
		return List.of("-XX:SharedArchiveFile=" + archive.archive, "-Xlog:cds=off", "-Xlog:cds+dynamic=off");
	}

	private static synchronized SampleJarArchive get() {
		if (instance == null) {
			instance = new SampleJarArchive(train(SampleJar.packagedJar()));
		}
		return instance;
	}

	/** Runs {@code migrations update} on a fresh database, dumping the classes; the archive, or null. */
	private static Path train(Path jar) {
		long started = System.nanoTime();
		try {
			Files.createDirectories(DIRECTORY);
			Path archive = DIRECTORY.resolve("sample.jsa").toAbsolutePath();
			Files.deleteIfExists(archive);
			TestDatabase database = TestDatabases.create();
			List<String> command = new ArrayList<>();
			command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
			command.addAll(SampleJar.JVM_OPTIONS);
			command.add("-XX:ArchiveClassesAtExit=" + archive);
			command.add("-jar");
			command.add(jar.toString());
			command.add("migrations");
			command.add("update");
			command.addAll(List.of(database.springArguments()));
			ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true)
				.redirectOutput(DIRECTORY.resolve("training.out").toFile())
				.redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")));
			SampleJar.CLEARED_ENVIRONMENT.forEach(builder.environment()::remove);
			Process process = builder.start();
			boolean ended = process.waitFor(180, TimeUnit.SECONDS);
			if (!ended) {
				process.destroyForcibly();
			}
			boolean usable = ended && process.exitValue() == 0 && Files.isRegularFile(archive)
					&& Files.size(archive) > 0;
			System.out.printf("[sample jar] class-data sharing archive %s (%d ms)%n",
					usable ? archive : "not available: runs start without it",
					TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - started));
			return usable ? archive : null;
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			return null;
		}
	}

}
