package dev.lockstep.process;

import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.jar.JarEntry;
import java.util.jar.JarOutputStream;
import java.util.stream.Stream;

import dev.lockstep.test.TestDatabase;
import dev.lockstep.test.TestDatabases;

/**
 * How {@link ChildProcess} starts a JVM: the class path and the flags, with a class-data sharing archive of the
 * classes a {@link LockstepTestApp} loads.
 * <p>
 * The process tests start about 70 short-lived JVMs, eight at a time on two cores; most of their CPU time goes
 * into loading and verifying the same few thousand classes. One training run per test JVM dumps them into a
 * dynamic CDS archive ({@code -XX:ArchiveClassesAtExit}), and every child maps it ({@code -XX:SharedArchiveFile}):
 * about a quarter less CPU per child. CDS only archives classes from jar files, and refuses a class path with a
 * non-empty directory, so the class path's directories (the test and main classes when run from the build) are
 * packed into jars first. Without an archive (the training run failed, or another JDK refuses it) the children
 * start as before, only slower: the archive never changes what a child does.
 */
final class ChildJvm {

	/** JVM flags for a fast start of a short-lived process. */
	private static final List<String> FLAGS = List.of("-XX:TieredStopAtLevel=1", "-XX:+UseSerialGC", "-Xmx256m",
			"-Xss512k", "-XX:-UsePerfData", "-Xshare:auto");

	/** One per test JVM: test JVMs may run side by side. */
	private static final Path DIRECTORY = Path.of("target", "process-tests",
			"child-jvm-" + ProcessHandle.current().pid());

	/** What the training run applies: the kinds of change the process tests use. */
	private static final String TRAINING_CHANGELOG = """
			databaseChangeLog:
			  - changeSet:
			      id: 1-create
			      author: training
			      changes:
			        - createTable:
			            tableName: training
			            columns:
			              - column: {name: id, type: bigint, constraints: {primaryKey: true}}
			              - column: {name: name, type: varchar(100)}
			  - changeSet:
			      id: 2-add
			      author: training
			      changes:
			        - addColumn:
			            tableName: training
			            columns:
			              - column: {name: amount, type: 'numeric(12,2)'}
			        - insert:
			            tableName: training
			            columns:
			              - column: {name: id, valueNumeric: 1}
			              - column: {name: name, value: one}
			        - createIndex:
			            tableName: training
			            indexName: ix_training_name
			            columns:
			              - column: {name: name}
			  - changeSet:
			      id: 3-sql
			      author: training
			      runInTransaction: false
			      changes:
			        - sql: {sql: "SELECT pg_sleep(0)"}
			""";

	private static ChildJvm instance;

	private final String classPath;

	private final List<String> flags;

	private ChildJvm(String classPath, List<String> flags) {
		this.classPath = classPath;
		this.flags = flags;
	}

	/** The command that runs {@link LockstepTestApp} with the given arguments. */
	static List<String> command(List<String> arguments) {
		ChildJvm jvm = get();
		List<String> command = new ArrayList<>();
		command.add(java());
		command.addAll(jvm.flags);
		command.add("-cp");
		command.add(jvm.classPath);
		command.add(LockstepTestApp.class.getName());
		command.addAll(arguments);
		return command;
	}

	private static synchronized ChildJvm get() {
		if (instance == null) {
			instance = prepare();
		}
		return instance;
	}

	private static ChildJvm prepare() {
		long started = System.nanoTime();
		try {
			Files.createDirectories(DIRECTORY);
			String classPath = jarredClassPath();
			Path archive = DIRECTORY.resolve("children.jsa").toAbsolutePath();
			Files.deleteIfExists(archive);
			boolean trained = train(classPath, archive);
			List<String> flags = new ArrayList<>(FLAGS);
			if (trained) {
				// Silent if a JVM cannot use it: a child's output is what the tests read.
				flags.addAll(List.of("-XX:SharedArchiveFile=" + archive, "-Xlog:cds=off", "-Xlog:cds+dynamic=off"));
			}
			System.out.printf("[child jvm] class-data sharing archive %s (%d ms)%n",
					trained ? archive : "not available: children start without it",
					TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - started));
			return new ChildJvm(classPath, List.copyOf(flags));
		}
		catch (IOException ex) {
			throw new UncheckedIOException("Could not prepare the child JVMs' class path", ex);
		}
	}

	/** This JVM's class path, each directory in it replaced by a jar of its contents. */
	private static String jarredClassPath() throws IOException {
		List<String> entries = new ArrayList<>();
		int index = 0;
		for (String entry : System.getProperty("java.class.path").split(File.pathSeparator)) {
			Path path = Path.of(entry);
			if (Files.isDirectory(path)) {
				Path jar = DIRECTORY.resolve((index++) + "-" + path.getFileName() + ".jar").toAbsolutePath();
				jar(path, jar);
				entries.add(jar.toString());
			}
			else {
				entries.add(entry);
			}
		}
		return String.join(File.pathSeparator, entries);
	}

	private static void jar(Path directory, Path jar) throws IOException {
		try (JarOutputStream out = new JarOutputStream(Files.newOutputStream(jar));
				Stream<Path> files = Files.walk(directory)) {
			for (Path file : files.sorted().toList()) {
				if (file.equals(directory)) {
					continue;
				}
				String name = directory.relativize(file).toString().replace(File.separatorChar, '/');
				if (Files.isDirectory(file)) {
					out.putNextEntry(new JarEntry(name + "/"));
				}
				else {
					out.putNextEntry(new JarEntry(name));
					Files.copy(file, out);
				}
				out.closeEntry();
			}
		}
	}

	/** Runs the test app once on a fresh database, dumping the classes it loaded; true when the archive exists. */
	private static boolean train(String classPath, Path archive) throws IOException {
		TestDatabase db = TestDatabases.create();
		Path changeLog = DIRECTORY.resolve("training-changelog.yaml").toAbsolutePath();
		Files.writeString(changeLog, TRAINING_CHANGELOG);
		List<String> command = new ArrayList<>();
		command.add(java());
		command.addAll(FLAGS);
		command.add("-XX:ArchiveClassesAtExit=" + archive);
		command.add("-cp");
		command.add(classPath);
		command.add(LockstepTestApp.class.getName());
		command.addAll(List.of(db.springArguments()));
		command.add("--migrations.change-log=file:" + changeLog);
		command.add("--spring.application.name=training");
		Path output = DIRECTORY.resolve("training.out");
		Process process = new ProcessBuilder(command).redirectErrorStream(true)
			.redirectOutput(output.toFile())
			.redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")))
			.start();
		try {
			if (!process.waitFor(180, TimeUnit.SECONDS)) {
				process.destroyForcibly();
				return false;
			}
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			process.destroyForcibly();
			return false;
		}
		return process.exitValue() == 0 && Files.isRegularFile(archive) && Files.size(archive) > 0;
	}

	private static String java() {
		return Path.of(System.getProperty("java.home"), "bin", "java").toString();
	}

}
