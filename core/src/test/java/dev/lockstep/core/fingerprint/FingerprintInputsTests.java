package dev.lockstep.core.fingerprint;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.Callable;

import liquibase.resource.DirectoryResourceAccessor;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import dev.lockstep.core.MigrationEngine;
import dev.lockstep.core.api.MigrationSettings;
import dev.lockstep.core.test.TestDatabase;
import dev.lockstep.core.test.TestDatabases;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * What the fingerprint of a verified changelog is made of, read from what a real run stores in
 * {@code LOCKSTEP_VERIFIED}: the changelog hash over the inputs the parse used (re-hashed here from the stored
 * sources, as the next start does), and the settings hash. Every input that can change what runs must change it;
 * what cannot (file times, unrelated files and properties, lock and naming settings, parameter order) must not,
 * or every start would pay for a full check.
 */
class FingerprintInputsTests {

	private static final String PARAMETER = "lockstep_fp_suffix";

	@TempDir
	Path dir;

	private TestDatabase db;

	@BeforeEach
	void setUp() throws IOException {
		this.db = TestDatabases.create();
		write("master.yaml", """
				databaseChangeLog:
				  - include: {file: tables.yaml, relativeToChangelogFile: true}
				  - includeAll: {path: more/, relativeToChangelogFile: true}
				  - changeSet:
				      id: s1
				      author: t
				      changes:
				        - sqlFile: {path: sql/s.sql, relativeToChangelogFile: true}
				  - include: {file: optional.yaml, relativeToChangelogFile: true, errorIfMissing: false}
				""");
		write("tables.yaml", """
				databaseChangeLog:
				  - changeSet:
				      id: t1
				      author: t
				      changes:
				        - createTable:
				            tableName: t_${lockstep_fp_suffix}
				            columns:
				              - column: {name: id, type: int}
				""");
		write("more/001.yaml", """
				databaseChangeLog:
				  - changeSet:
				      id: m1
				      author: t
				      changes:
				        - createTable:
				            tableName: t_more
				            columns:
				              - column: {name: id, type: int}
				""");
		write("sql/s.sql", "CREATE TABLE t_sql (id int);\n");
	}

	@Test
	void everyFileThatWasReadOrSearchedChangesTheChangeLogHash() throws Exception {
		Verified verified = applyAndReadVerification(settings());
		assertThat(verified.hashNow(this.dir)).as("unchanged files").isEqualTo(verified.changeLogHash());

		assertChangesTheHashUntilReverted(verified, "master.yaml", (text) -> text + "# a comment\n");
		assertChangesTheHashUntilReverted(verified, "tables.yaml", (text) -> text.replace("int", "bigint"));
		assertChangesTheHashUntilReverted(verified, "more/001.yaml", (text) -> text + "\n");
		assertChangesTheHashUntilReverted(verified, "sql/s.sql", (text) -> text.replace("t_sql", "t_sql2"));

		assertChangesTheHashWhileItExists(verified, "more/002.yaml", "databaseChangeLog: []\n");
		assertChangesTheHashWhileItExists(verified, "optional.yaml", "databaseChangeLog: []\n");
	}

	@Test
	void aParameterTheFilesMentionChangesTheChangeLogHashThroughSystemProperties() throws Exception {
		Verified verified = applyAndReadVerification(settings());
		String changed = withSystemProperty(PARAMETER, "two", () -> verified.hashNow(this.dir));
		assertThat(changed).isNotEqualTo(verified.changeLogHash());
		String unrelated = withSystemProperty("lockstep_fp_not_mentioned", "x", () -> verified.hashNow(this.dir));
		assertThat(unrelated).isEqualTo(verified.changeLogHash());
	}

	@Test
	void fileTimesAndFilesNobodyReadLeaveTheChangeLogHashAlone() throws Exception {
		Verified verified = applyAndReadVerification(settings());
		for (String name : List.of("master.yaml", "tables.yaml", "more/001.yaml", "sql/s.sql")) {
			Path file = this.dir.resolve(name);
			Files.writeString(file, Files.readString(file));
			Files.setLastModifiedTime(file, java.nio.file.attribute.FileTime.fromMillis(0));
		}
		write("docs/README.md", "notes\n");
		write("sql/unused.sql", "DROP TABLE t_sql;\n");
		write("other/changelog.yaml", "databaseChangeLog: []\n");
		assertThat(verified.hashNow(this.dir)).isEqualTo(verified.changeLogHash());
	}

	@Test
	void contextsLabelsParametersAndSchemasChangeTheSettingsHash() throws Exception {
		MigrationSettings base = settings();
		String baseHash = applyAndReadVerification(base).settingsHash();
		Map<String, MigrationSettings> variants = new LinkedHashMap<>();
		variants.put("contexts", new MigrationSettings(base.changeLog(), "dev", null, null, null, base.parameters(),
				null, null, null));
		variants.put("labels", new MigrationSettings(base.changeLog(), null, "core", null, null, base.parameters(),
				null, null, null));
		variants.put("parameters", new MigrationSettings(base.changeLog(), null, null, null, null,
				Map.of(PARAMETER, "one", "unused", "x"), null, null, null));
		variants.put("default schema", new MigrationSettings(base.changeLog(), null, null, "public", null,
				base.parameters(), null, null, null));
		variants.put("history schema", new MigrationSettings(base.changeLog(), null, null, null, "public",
				base.parameters(), null, null, null));
		Set<String> seen = new TreeSet<>(Set.of(baseHash));
		variants.forEach((what, settings) -> {
			String hash = checkAndReadSettingsHash(settings);
			assertThat(seen.add(hash)).as("a new settings hash for other %s", what).isTrue();
		});
	}

	@Test
	void lockAndNamingSettingsAndParameterOrderLeaveTheSettingsHashAlone() throws Exception {
		MigrationSettings base = settings();
		String baseHash = applyAndReadVerification(base).settingsHash();
		Map<String, String> reordered = new LinkedHashMap<>();
		reordered.put("z_last", "z");
		reordered.put(PARAMETER, "one");
		Map<String, String> ordered = new LinkedHashMap<>();
		ordered.put(PARAMETER, "one");
		ordered.put("z_last", "z");
		String withTwo = checkAndReadSettingsHash(new MigrationSettings(base.changeLog(), null, null, null, null,
				ordered, null, null, null));
		assertThat(withTwo).isNotEqualTo(baseHash);
		assertThat(checkAndReadSettingsHash(new MigrationSettings(base.changeLog(), null, null, null, null, reordered,
				null, null, null))).as("parameter order").isEqualTo(withTwo);
		assertThat(checkAndReadSettingsHash(new MigrationSettings(base.changeLog(), null, null, null, null,
				base.parameters(), "release-7", Duration.ofSeconds(3), "another-app")))
			.as("tag, lock wait timeout and application name").isEqualTo(baseHash);
	}

	private static MigrationSettings settings() {
		return new MigrationSettings("master.yaml", null, null, null, null, Map.of(PARAMETER, "one"), null, null,
				"fingerprint-test");
	}

	private MigrationEngine engine(MigrationSettings settings) throws IOException {
		return new MigrationEngine(this.db.dataSource(), new DirectoryResourceAccessor(this.dir), settings);
	}

	/** Applies the changelog: the run that finds it up to date stores its verification. */
	private Verified applyAndReadVerification(MigrationSettings settings) throws IOException {
		assertThat(engine(settings).apply().applied()).isEqualTo(3);
		List<List<String>> rows = verifications();
		assertThat(rows).hasSize(1);
		return new Verified(rows.get(0).get(0), rows.get(0).get(1), rows.get(0).get(2));
	}

	/**
	 * A full status check with these settings (no stored verification can answer it): up to date, so it stores
	 * the one verification, under its settings hash.
	 */
	private String checkAndReadSettingsHash(MigrationSettings settings) {
		this.db.execute("DELETE FROM " + VerifiedState.TABLE);
		try {
			assertThat(engine(settings).status().isUpToDate()).isTrue();
		}
		catch (IOException ex) {
			throw new IllegalStateException(ex);
		}
		List<List<String>> rows = verifications();
		assertThat(rows).hasSize(1);
		return rows.get(0).get(0);
	}

	private List<List<String>> verifications() {
		return this.db.rows("SELECT SETTINGS_HASH, CHANGELOG_HASH, SOURCES FROM " + VerifiedState.TABLE);
	}

	private void assertChangesTheHashUntilReverted(Verified verified, String name,
			java.util.function.UnaryOperator<String> edit) throws Exception {
		Path file = this.dir.resolve(name);
		String original = Files.readString(file);
		Files.writeString(file, edit.apply(original));
		assertThat(verified.hashNow(this.dir)).as("after editing %s", name).isNotEqualTo(verified.changeLogHash());
		Files.writeString(file, original);
		assertThat(verified.hashNow(this.dir)).as("after reverting %s", name).isEqualTo(verified.changeLogHash());
	}

	private void assertChangesTheHashWhileItExists(Verified verified, String name, String content) throws Exception {
		write(name, content);
		assertThat(verified.hashNow(this.dir)).as("with %s", name).isNotEqualTo(verified.changeLogHash());
		Files.delete(this.dir.resolve(name));
		assertThat(verified.hashNow(this.dir)).as("without %s", name).isEqualTo(verified.changeLogHash());
	}

	private void write(String name, String text) throws IOException {
		Path file = this.dir.resolve(name);
		Files.createDirectories(file.getParent());
		Files.writeString(file, text);
	}

	private static <T> T withSystemProperty(String name, String value, Callable<T> action) throws Exception {
		System.setProperty(name, value);
		try {
			return action.call();
		}
		finally {
			System.clearProperty(name);
		}
	}

	/**
	 * One stored verification.
	 *
	 * @param settingsHash hash of the settings that decide the parse and the filters
	 * @param changeLogHash hash of the changelog's inputs as the run read them
	 * @param sources those inputs, serialized
	 */
	private record Verified(String settingsHash, String changeLogHash, String sources) {

		/** The inputs hashed as they are now, as the next start does to decide whether it may skip the check. */
		String hashNow(Path dir) throws IOException {
			return ChangeLogSources.parse(this.sources).hash(new DirectoryResourceAccessor(dir));
		}

	}

}
