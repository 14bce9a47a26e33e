package dev.lockstep.core.fingerprint;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.URI;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

import liquibase.resource.OpenOptions;
import liquibase.resource.Resource;
import liquibase.resource.ResourceAccessor;

/**
 * A resource accessor that remembers what the changelog is made of: every resource Liquibase reads (the master,
 * included files, SQL files, CSV data) and every directory search ({@code includeAll}). Those are exactly the
 * inputs that decide the parsed changelog, so hashing them again later tells whether it can have changed.
 */
public final class RecordingResourceAccessor implements ResourceAccessor {

	private final ResourceAccessor delegate;

	private final Set<URI> read = ConcurrentHashMap.newKeySet();

	private final Set<Search> searches = ConcurrentHashMap.newKeySet();

	public RecordingResourceAccessor(ResourceAccessor delegate) {
		this.delegate = delegate;
	}

	/** What was read and searched so far. */
	public ChangeLogSources sources() {
		return new ChangeLogSources(Set.copyOf(this.read), Set.copyOf(this.searches));
	}

	public ResourceAccessor delegate() {
		return this.delegate;
	}

	@Override
	public List<Resource> search(String path, boolean recursive) throws IOException {
		List<Resource> found = this.delegate.search(path, recursive);
		this.searches.add(new Search(path, recursive));
		return wrap(found);
	}

	@Override
	public List<Resource> getAll(String path) throws IOException {
		List<Resource> found = this.delegate.getAll(path);
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
			InputStream stream = this.delegate.openInputStream();
			URI uri = this.delegate.getUri();
			if (uri != null) {
				RecordingResourceAccessor.this.read.add(uri);
			}
			return stream;
		}

		@Override
		public boolean isWritable() {
			return this.delegate.isWritable();
		}

		@Override
		public boolean exists() {
			return this.delegate.exists();
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
