package dev.lockstep.corpora;

import java.io.IOException;
import java.net.MalformedURLException;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.springframework.boot.json.JsonParserFactory;

/**
 * One corpus of {@code ../shared/corpora/manifest.json}, read in place.
 *
 * @param name corpus folder name
 * @param dir the corpus folder
 * @param changeLog master changelog, relative to the corpus folder
 * @param classpathRoot folder (relative to the corpus folder) to put on the classpath, or {@code null} for a
 * {@code file:} master
 * @param contexts Liquibase contexts, or {@code null}
 * @param parameters changelog parameters
 * @param expect the manifest's expected counts
 */
record Corpus(String name, Path dir, String changeLog, String classpathRoot, String contexts,
		Map<String, String> parameters, Expect expect) {

	/** System property, set by the build, that points at the corpora folder. */
	static final String DIR_PROPERTY = "lockstep.corpora.dir";

	/**
	 * @param rows DATABASECHANGELOG rows after the run
	 * @param executed rows with EXECTYPE EXECUTED
	 * @param markRan rows with EXECTYPE MARK_RAN
	 * @param totalChangeSets changesets in the changelog, filtered or not
	 */
	record Expect(int rows, int executed, int markRan, int totalChangeSets) {
	}

	/** The corpora folder, or {@code null} when the property is unset or the folder (or its manifest) is absent. */
	static Path corporaDir() {
		String dir = System.getProperty(DIR_PROPERTY);
		if (dir == null || dir.isBlank()) {
			return null;
		}
		Path path = Path.of(dir);
		if (!Files.isRegularFile(path.resolve("manifest.json"))) {
			return null;
		}
		try {
			return path.toRealPath();
		}
		catch (IOException ex) {
			return null;
		}
	}

	static String absentMessage() {
		return "Corpora folder absent (system property " + DIR_PROPERTY + " = " + System.getProperty(DIR_PROPERTY)
				+ ", no manifest.json there): corpus tests skipped";
	}

	/** Stands for the corpora when their folder is absent, so that a test can report itself skipped. */
	static Corpus absent() {
		return new Corpus("corpora folder absent", null, null, null, null, Map.of(), null);
	}

	boolean isAbsent() {
		return this.dir == null;
	}

	@SuppressWarnings("unchecked")
	static List<Corpus> load(Path corporaDir) {
		String json;
		try {
			json = Files.readString(corporaDir.resolve("manifest.json"));
		}
		catch (IOException ex) {
			throw new IllegalStateException("Cannot read " + corporaDir.resolve("manifest.json"), ex);
		}
		List<Object> entries = (List<Object>) JsonParserFactory.getJsonParser().parseMap(json).get("corpora");
		List<Corpus> corpora = new ArrayList<>();
		for (Object entry : entries) {
			Map<String, Object> corpus = (Map<String, Object>) entry;
			Map<String, Object> expect = (Map<String, Object>) corpus.get("expect");
			Map<String, String> parameters = new LinkedHashMap<>();
			Object declared = corpus.get("parameters");
			if (declared != null) {
				((Map<String, Object>) declared).forEach((key, value) -> parameters.put(key, String.valueOf(value)));
			}
			String name = (String) corpus.get("name");
			corpora.add(new Corpus(name, corporaDir.resolve(name), (String) corpus.get("changelog"),
					(String) corpus.get("classpathRoot"), (String) corpus.get("contexts"), parameters,
					new Expect(number(expect, "rows"), number(expect, "executed"), number(expect, "markRan"),
							number(expect, "totalChangeSets"))));
		}
		return corpora;
	}

	private static int number(Map<String, Object> map, String key) {
		return ((Number) map.get(key)).intValue();
	}

	/** The changelog location as Spring's resource loader (and so Liquibase's SpringResourceAccessor) takes it. */
	String location() {
		if (this.classpathRoot != null) {
			return "classpath:" + this.changeLog;
		}
		return "file:" + this.dir.resolve(this.changeLog);
	}

	/** A class loader that has the corpus's classpath root on it (the parent alone for {@code file:} corpora). */
	URLClassLoader classLoader(ClassLoader parent) {
		URL[] urls;
		try {
			urls = (this.classpathRoot != null)
					? new URL[] { this.dir.resolve(this.classpathRoot).normalize().toUri().toURL() } : new URL[0];
		}
		catch (MalformedURLException ex) {
			throw new IllegalStateException(ex);
		}
		return new URLClassLoader("corpus-" + this.name, urls, parent);
	}

	@Override
	public String toString() {
		return this.name;
	}

}
