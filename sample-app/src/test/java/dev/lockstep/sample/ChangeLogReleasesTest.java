package dev.lockstep.sample;

import java.io.IOException;
import java.io.InputStream;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import org.junit.jupiter.api.Test;
import org.yaml.snakeyaml.Yaml;

import dev.lockstep.sample.Releases.ChangeSet;
import dev.lockstep.sample.Releases.Release;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The sample's changelog keeps the conventions its README describes: one file per release, ending with a
 * tagDatabase changeset named after the file; every changeset with an explicit rollback; concurrent index builds
 * outside a transaction; and the application tagging the database with the newest release.
 * <p>
 * That the rollbacks work is proven against PostgreSQL by {@code MigrationsCommandsIT}.
 */
class ChangeLogReleasesTest {

	@Test
	void everyReleaseIsOneFileEndingWithItsTag() {
		List<Release> releases = Releases.all();
		assertThat(releases).hasSizeGreaterThanOrEqualTo(6);
		assertThat(releases).extracting(Release::version).allMatch((version) -> version.matches("v\\d+\\.\\d+\\.\\d+"));
		// Included oldest first.
		assertThat(releases).extracting(Release::version)
			.isSortedAccordingTo(java.util.Comparator.comparing((String version) -> java.util.Arrays
				.stream(version.substring(1).split("\\."))
				.mapToInt(Integer::parseInt)
				.toArray(), java.util.Arrays::compare));
		for (Release release : releases) {
			assertThat(release.file()).startsWith("db/changelog/releases/");
			assertThat(release.tags()).as("tags of %s", release.file()).containsExactly(release.version());
			List<ChangeSet> changeSets = release.changeSets();
			assertThat(changeSets.get(changeSets.size() - 1).tag()).as("last changeset of %s", release.file())
				.isEqualTo(release.version());
		}
	}

	@Test
	void everyChangeSetCanBeRolledBack() {
		Set<String> ids = new HashSet<>();
		for (ChangeSet changeSet : Releases.changeSets()) {
			assertThat(ids.add(changeSet.id())).as("id %s is unique", changeSet.id()).isTrue();
			assertThat(changeSet.yaml().get("author")).as("author of %s", changeSet.id()).isNotNull();
			if (changeSet.tag() == null) {
				// Explicit, even where Liquibase could derive one: the rollback is reviewed with the change.
				assertThat(changeSet.yaml().get("rollback")).as("rollback block of %s (%s)", changeSet.id(),
						changeSet.file())
					.isInstanceOf(List.class)
					.asList()
					.isNotEmpty();
			}
		}
	}

	@Test
	void concurrentIndexBuildsRunOutsideATransaction() {
		List<ChangeSet> concurrent = Releases.changeSets()
			.stream()
			.filter((changeSet) -> String.valueOf(changeSet.yaml()).toUpperCase().contains("CONCURRENTLY"))
			.toList();
		assertThat(concurrent).extracting(ChangeSet::id).containsExactly("2024-11-index-orders-by-customer");
		for (ChangeSet changeSet : concurrent) {
			assertThat(changeSet.yaml().get("runInTransaction")).as("runInTransaction of %s", changeSet.id())
				.isEqualTo(false);
			assertThat(String.valueOf(changeSet.yaml().get("rollback"))).contains("DROP INDEX CONCURRENTLY");
		}
	}

	@Test
	@SuppressWarnings("unchecked")
	void theApplicationTagsTheDatabaseWithTheNewestRelease() throws IOException {
		try (InputStream in = getClass().getClassLoader().getResourceAsStream("application.yaml")) {
			Map<String, Object> application = new Yaml().load(in);
			Map<String, Object> migrations = (Map<String, Object>) application.get("migrations");
			assertThat(migrations.get("tag")).as("migrations.tag in application.yaml")
				.isEqualTo(Releases.last().version());
		}
	}

}
