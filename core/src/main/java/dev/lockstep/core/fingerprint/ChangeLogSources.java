package dev.lockstep.core.fingerprint;

import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import liquibase.resource.Resource;
import liquibase.resource.ResourceAccessor;

import dev.lockstep.core.fingerprint.RecordingResourceAccessor.Search;

/**
 * The inputs of a parsed changelog: resources read and directories searched. Serializes to lines for storage, and
 * hashes their current content.
 *
 * @param resources resources read
 * @param searches directory searches made
 * @param lookups paths looked up, found or not (includes, {@code errorIfMissing="false"} ones too)
 * @param existenceChecks resources whose existence was checked (relative includes that may be missing)
 */
public record ChangeLogSources(Set<URI> resources, Set<Search> searches, Set<String> lookups,
		Set<URI> existenceChecks) {

	private static final Pattern PARAMETER = Pattern.compile("\\$\\{([^}:]+)");

	/**
	 * One line per input, sorted: {@code R <uri>}, {@code S <recursive> <path>}, {@code G <path>} or
	 * {@code E <uri>}.
	 */
	public String serialize() {
		TreeSet<String> lines = new TreeSet<>();
		this.resources.forEach((uri) -> lines.add(resourceLine(uri)));
		this.searches.forEach((search) -> lines.add(searchLine(search)));
		this.lookups.forEach((path) -> lines.add(lookupLine(path)));
		this.existenceChecks.forEach((uri) -> lines.add(existenceLine(uri)));
		return String.join("\n", lines);
	}

	public static ChangeLogSources parse(String text) {
		Set<URI> resources = new HashSet<>();
		Set<Search> searches = new HashSet<>();
		Set<String> lookups = new HashSet<>();
		Set<URI> existenceChecks = new HashSet<>();
		for (String line : text.split("\n")) {
			if (line.startsWith("R ")) {
				resources.add(URI.create(line.substring(2)));
			}
			else if (line.startsWith("S ")) {
				String rest = line.substring(2);
				int space = rest.indexOf(' ');
				searches.add(new Search(rest.substring(space + 1), Boolean.parseBoolean(rest.substring(0, space))));
			}
			else if (line.startsWith("G ")) {
				lookups.add(line.substring(2));
			}
			else if (line.startsWith("E ")) {
				existenceChecks.add(URI.create(line.substring(2)));
			}
		}
		return new ChangeLogSources(resources, searches, lookups, existenceChecks);
	}

	/**
	 * Hashes the inputs as they are now: each resource's bytes, each search's and lookup's result list, whether
	 * each checked resource exists, and the system property and environment variable values of every
	 * {@code ${name}} the resources mention (Liquibase takes changelog parameters from both).
	 * @throws IOException when an input can no longer be read (the changelog changed)
	 */
	public String hash(ResourceAccessor accessor) throws IOException {
		return hash(accessor, Map.of());
	}

	/**
	 * Hashes the inputs, taking each one as {@code seen} records it (as Liquibase saw it while parsing) and only
	 * the others as they are now, so that a verification vouches for what was parsed, not for files edited since.
	 */
	public String hash(ResourceAccessor accessor, Map<String, Observation> seen) throws IOException {
		MessageDigest digest = Fingerprints.sha256();
		TreeSet<String> parameters = new TreeSet<>();
		for (String line : new TreeSet<>(List.of(serialize().split("\n")))) {
			digest.update(line.getBytes(StandardCharsets.UTF_8));
			digest.update((byte) '\n');
			Observation observation = seen.get(line);
			if (observation == null) {
				observation = observe(line, accessor);
			}
			digest.update(observation.value().getBytes(StandardCharsets.UTF_8));
			digest.update((byte) '\n');
			parameters.addAll(observation.parameters());
		}
		for (String name : parameters) {
			digest.update(("P " + name + "=" + System.getProperty(name) + "|" + System.getenv(name))
				.getBytes(StandardCharsets.UTF_8));
			digest.update((byte) '\n');
		}
		return Fingerprints.hex(digest.digest());
	}

	/** An input as it is now. */
	private static Observation observe(String line, ResourceAccessor accessor) throws IOException {
		String rest = line.substring(2);
		if (line.startsWith("R ")) {
			try (InputStream input = URI.create(rest).toURL().openStream()) {
				return content(input.readAllBytes());
			}
		}
		if (line.startsWith("G ")) {
			return lookup(accessor.getAll(rest));
		}
		if (line.startsWith("E ")) {
			return existence(exists(URI.create(rest)));
		}
		if (line.startsWith("S ")) {
			int space = rest.indexOf(' ');
			return listing(accessor.search(rest.substring(space + 1), Boolean.parseBoolean(rest.substring(0, space))));
		}
		return new Observation("", Set.of());
	}

	static String resourceLine(URI uri) {
		return "R " + uri;
	}

	static String searchLine(Search search) {
		return "S " + search.recursive() + " " + search.path();
	}

	static String lookupLine(String path) {
		return "G " + path;
	}

	static String existenceLine(URI uri) {
		return "E " + uri;
	}

	static Observation content(byte[] content) {
		Set<String> names = new TreeSet<>();
		Matcher found = PARAMETER.matcher(new String(content, StandardCharsets.UTF_8));
		while (found.find()) {
			names.add(found.group(1).trim());
		}
		return new Observation(Fingerprints.hex(Fingerprints.sha256().digest(content)), Set.copyOf(names));
	}

	static Observation lookup(List<Resource> found) {
		List<String> uris = new ArrayList<>();
		if (found != null) {
			for (Resource resource : found) {
				uris.add(resource.getUri() + " " + resource.exists());
			}
		}
		uris.sort(null);
		return new Observation(String.join(",", uris), Set.of());
	}

	static Observation listing(List<Resource> found) {
		List<String> uris = new ArrayList<>();
		if (found != null) {
			for (Resource resource : found) {
				uris.add(String.valueOf(resource.getUri()));
			}
		}
		uris.sort(null);
		return new Observation(String.join(",", uris), Set.of());
	}

	static Observation existence(boolean exists) {
		return new Observation(String.valueOf(exists), Set.of());
	}

	/**
	 * What an input was found to be.
	 *
	 * @param value digest of a resource's bytes, or a search's or lookup's result list, or whether it exists
	 * @param parameters the {@code ${name}} parameters a resource mentions
	 */
	public record Observation(String value, Set<String> parameters) {
	}

	private static boolean exists(URI uri) {
		if ("file".equals(uri.getScheme())) {
			return Files.exists(Path.of(uri));
		}
		try (InputStream input = uri.toURL().openStream()) {
			return true;
		}
		catch (IOException | RuntimeException ex) {
			return false;
		}
	}

}
