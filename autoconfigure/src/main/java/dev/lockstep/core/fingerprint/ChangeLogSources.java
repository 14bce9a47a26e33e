package dev.lockstep.core.fingerprint;

import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;

import liquibase.resource.Resource;
import liquibase.resource.ResourceAccessor;

import dev.lockstep.core.fingerprint.RecordingResourceAccessor.Search;

/**
 * The inputs of a parsed changelog: resources read and directories searched. Serializes to lines for storage, and
 * hashes their current content.
 *
 * @param resources resources read
 * @param searches directory searches made
 */
public record ChangeLogSources(Set<URI> resources, Set<Search> searches) {

	/** One line per input, sorted: {@code R <uri>} or {@code S <recursive> <path>}. */
	public String serialize() {
		TreeSet<String> lines = new TreeSet<>();
		this.resources.forEach((uri) -> lines.add("R " + uri));
		this.searches.forEach((search) -> lines.add("S " + search.recursive() + " " + search.path()));
		return String.join("\n", lines);
	}

	public static ChangeLogSources parse(String text) {
		Set<URI> resources = new HashSet<>();
		Set<Search> searches = new HashSet<>();
		for (String line : text.split("\n")) {
			if (line.startsWith("R ")) {
				resources.add(URI.create(line.substring(2)));
			}
			else if (line.startsWith("S ")) {
				String rest = line.substring(2);
				int space = rest.indexOf(' ');
				searches.add(new Search(rest.substring(space + 1), Boolean.parseBoolean(rest.substring(0, space))));
			}
		}
		return new ChangeLogSources(resources, searches);
	}

	/**
	 * Hashes the inputs as they are now: each resource's bytes and each search's result list.
	 * @throws IOException when an input can no longer be read (the changelog changed)
	 */
	public String hash(ResourceAccessor accessor) throws IOException {
		MessageDigest digest = Fingerprints.sha256();
		for (String line : new TreeSet<>(List.of(serialize().split("\n")))) {
			digest.update(line.getBytes(StandardCharsets.UTF_8));
			digest.update((byte) '\n');
			if (line.startsWith("R ")) {
				try (InputStream input = URI.create(line.substring(2)).toURL().openStream()) {
					byte[] buffer = new byte[16384];
					for (int read = input.read(buffer); read >= 0; read = input.read(buffer)) {
						digest.update(buffer, 0, read);
					}
				}
			}
			else if (line.startsWith("S ")) {
				String rest = line.substring(2);
				int space = rest.indexOf(' ');
				List<String> found = new ArrayList<>();
				for (Resource resource : accessor.search(rest.substring(space + 1),
						Boolean.parseBoolean(rest.substring(0, space)))) {
					found.add(String.valueOf(resource.getUri()));
				}
				found.sort(null);
				found.forEach((uri) -> digest.update(uri.getBytes(StandardCharsets.UTF_8)));
			}
		}
		return Fingerprints.hex(digest.digest());
	}

}
