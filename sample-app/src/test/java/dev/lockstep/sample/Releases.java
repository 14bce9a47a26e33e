package dev.lockstep.sample;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import org.yaml.snakeyaml.Yaml;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The sample's changelog as its files say it is (read from the classpath, as the application reads it): the
 * releases the master changelog includes, in order, and their changesets.
 */
final class Releases {

	static final String MASTER = "db/changelog/db.changelog-master.yaml";

	private Releases() {
	}

	/** The releases, oldest first. */
	static List<Release> all() {
		List<Release> releases = new ArrayList<>();
		for (Map<String, Object> entry : entries(MASTER)) {
			@SuppressWarnings("unchecked")
			Map<String, Object> include = (Map<String, Object>) entry.get("include");
			assertThat(include).as("every entry of %s is an include of a release file: %s", MASTER, entry).isNotNull();
			String file = "db/changelog/" + include.get("file");
			List<ChangeSet> changeSets = new ArrayList<>();
			for (Map<String, Object> item : entries(file)) {
				@SuppressWarnings("unchecked")
				Map<String, Object> changeSet = (Map<String, Object>) item.get("changeSet");
				assertThat(changeSet).as("every entry of %s is a changeSet: %s", file, item).isNotNull();
				changeSets.add(new ChangeSet(String.valueOf(changeSet.get("id")), file, changeSet));
			}
			releases.add(new Release(file, changeSets));
		}
		return releases;
	}

	/** The newest release. */
	static Release last() {
		List<Release> releases = all();
		return releases.get(releases.size() - 1);
	}

	/** Every changeset of every release, in the order they apply. */
	static List<ChangeSet> changeSets() {
		return all().stream().flatMap((release) -> release.changeSets().stream()).toList();
	}

	@SuppressWarnings("unchecked")
	private static List<Map<String, Object>> entries(String resource) {
		try (InputStream in = Releases.class.getClassLoader().getResourceAsStream(resource)) {
			assertThat(in).as("classpath resource %s", resource).isNotNull();
			Map<String, Object> root = new Yaml().load(in);
			List<Map<String, Object>> entries = (List<Map<String, Object>>) root.get("databaseChangeLog");
			assertThat(entries).as("databaseChangeLog of %s", resource).isNotEmpty();
			return entries;
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
	}

	/**
	 * One release: a file of changesets.
	 *
	 * @param file its path on the classpath
	 * @param changeSets its changesets, in order
	 */
	record Release(String file, List<ChangeSet> changeSets) {

		/** The version the file name gives, e.g. {@code v1.2.0}. */
		String version() {
			String name = this.file.substring(this.file.lastIndexOf('/') + 1);
			return name.substring(0, name.length() - ".yaml".length());
		}

		/** The tags its tagDatabase changesets set. */
		List<String> tags() {
			return this.changeSets.stream().map(ChangeSet::tag).filter((tag) -> tag != null).toList();
		}

	}

	/**
	 * One changeset, as written.
	 *
	 * @param id its id
	 * @param file the release file it is in
	 * @param yaml its YAML
	 */
	record ChangeSet(String id, String file, Map<String, Object> yaml) {

		@SuppressWarnings("unchecked")
		List<Map<String, Object>> changes() {
			return (List<Map<String, Object>>) this.yaml.getOrDefault("changes", List.of());
		}

		/** The tag it sets when it is a tagDatabase changeset, otherwise null. */
		@SuppressWarnings("unchecked")
		String tag() {
			return changes().stream()
				.map((change) -> (Map<String, Object>) change.get("tagDatabase"))
				.filter((tagDatabase) -> tagDatabase != null)
				.map((tagDatabase) -> String.valueOf(tagDatabase.get("tag")))
				.findFirst()
				.orElse(null);
		}

	}

}
