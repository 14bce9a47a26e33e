package dev.lockstep.core.fingerprint;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.URI;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

import liquibase.resource.OpenOptions;
import liquibase.resource.Resource;
import liquibase.resource.ResourceAccessor;

import dev.lockstep.core.fingerprint.ChangeLogSources.Observation;

/**
 * A resource accessor that remembers what the changelog is made of: every resource Liquibase reads (the master,
 * included files, SQL files, CSV data) and every directory search ({@code includeAll}). Those are exactly the
 * inputs that decide the parsed changelog, so hashing them again later tells whether it can have changed.
 */
public final class RecordingResourceAccessor implements ResourceAccessor {

	private final ResourceAccessor delegate;

	private final Set<URI> read = ConcurrentHashMap.newKeySet();

	private final Set<Search> searches = ConcurrentHashMap.newKeySet();

	private final Set<String> lookups = ConcurrentHashMap.newKeySet();

	private final Set<URI> existenceChecks = ConcurrentHashMap.newKeySet();

	/** Each input as Liquibase saw it, by its {@link ChangeLogSources} line. */
	private final Map<String, Observation> seen = new ConcurrentHashMap<>();

	/** Whether an input was seen twice, differently (it changed while this accessor was in use). */
	private volatile boolean inconsistent;

	public RecordingResourceAccessor(ResourceAccessor delegate) {
		this.delegate = delegate;
	}

	/** What was read and searched so far. */
	public ChangeLogSources sources() {
		return new ChangeLogSources(Set.copyOf(this.read), Set.copyOf(this.searches), Set.copyOf(this.lookups),
				Set.copyOf(this.existenceChecks));
	}

	/**
	 * Each input as it was when Liquibase read it, or {@code null} when some input was seen to change while this
	 * accessor was in use (then nothing can be vouched for).
	 */
	public Map<String, Observation> seen() {
		return this.inconsistent ? null : Map.copyOf(this.seen);
	}

	private void saw(String line, Observation observation) {
		Observation before = this.seen.putIfAbsent(line, observation);
		if (before != null && !before.equals(observation)) {
			this.inconsistent = true;
		}
	}

	public ResourceAccessor delegate() {
		return this.delegate;
	}

	@Override
	public List<Resource> search(String path, boolean recursive) throws IOException {
		List<Resource> found = this.delegate.search(path, recursive);
		Search search = new Search(path, recursive);
		this.searches.add(search);
		saw(ChangeLogSources.searchLine(search), ChangeLogSources.listing(found));
		return wrap(found);
	}

	@Override
	public List<Resource> getAll(String path) throws IOException {
		List<Resource> found = this.delegate.getAll(path);
		// A path looked up and not found (an include with errorIfMissing="false") decides the changelog too.
		this.lookups.add(path);
		saw(ChangeLogSources.lookupLine(path), ChangeLogSources.lookup(found));
		return (found != null) ? wrap(found) : null;
	}

	@Override
	public List<String> describeLocations() {
		return this.delegate.describeLocations();
	}

	@Override
	public void close() throws Exception {
		this.delegate.close();
	}

	private List<Resource> wrap(List<Resource> resources) {
		List<Resource> wrapped = new ArrayList<>(resources.size());
		for (Resource resource : resources) {
			wrapped.add(wrap(resource));
		}
		return wrapped;
	}

	private Resource wrap(Resource resource) {
		return (resource == null || resource instanceof RecordingResource) ? resource : new RecordingResource(resource);
	}

	/**
	 * A directory search, as {@code includeAll} does it.
	 *
	 * @param path the directory
	 * @param recursive whether sub-directories count
	 */
	public record Search(String path, boolean recursive) {
	}

	private final class RecordingResource implements Resource {

		private final Resource delegate;

		RecordingResource(Resource delegate) {
			this.delegate = delegate;
		}

		@Override
		public String getPath() {
			return this.delegate.getPath();
		}

		@Override
		public InputStream openInputStream() throws IOException {
			URI uri = this.delegate.getUri();
			if (uri == null) {
				return this.delegate.openInputStream();
			}
			// Read it whole, as Liquibase does anyway, to remember the bytes it got.
			byte[] content;
			try (InputStream stream = this.delegate.openInputStream()) {
				content = stream.readAllBytes();
			}
			RecordingResourceAccessor.this.read.add(uri);
			saw(ChangeLogSources.resourceLine(uri), ChangeLogSources.content(content));
			return new ByteArrayInputStream(content);
		}

		@Override
		public boolean isWritable() {
			return this.delegate.isWritable();
		}

		@Override
		public boolean exists() {
			URI uri = this.delegate.getUri();
			boolean exists = this.delegate.exists();
			if (uri != null) {
				RecordingResourceAccessor.this.existenceChecks.add(uri);
				saw(ChangeLogSources.existenceLine(uri), ChangeLogSources.existence(exists));
			}
			return exists;
		}

		@Override
		public Resource resolve(String other) {
			return wrap(this.delegate.resolve(other));
		}

		@Override
		public Resource resolveSibling(String other) {
			return wrap(this.delegate.resolveSibling(other));
		}

		@Override
		public OutputStream openOutputStream(OpenOptions openOptions) throws IOException {
			return this.delegate.openOutputStream(openOptions);
		}

		@Override
		public URI getUri() {
			return this.delegate.getUri();
		}

		@Override
		public boolean equals(Object other) {
			Object target = (other instanceof RecordingResource recording) ? recording.delegate : other;
			return this.delegate.equals(target);
		}

		@Override
		public int hashCode() {
			return this.delegate.hashCode();
		}

		@Override
		public String toString() {
			return this.delegate.toString();
		}

	}

}
