package dev.lockstep.core.drift;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeSet;

import dev.lockstep.core.api.DriftChange;
import dev.lockstep.core.api.DriftObject;

/**
 * The objects that differ between what the migrations made and the live schema, with what was expected and what is
 * there, ordered by type and name.
 *
 * @param objects the differing objects that are not ignored
 * @param ignored how many differing objects the ignore patterns left out
 */
public record DriftComparison(List<DriftObject> objects, int ignored) {

	public DriftComparison {
		objects = List.copyOf(objects);
	}

	public static DriftComparison of(SchemaDescription expected, SchemaDescription actual, DriftIgnore ignore) {
		if (expected.hash().equals(actual.hash())) {
			return new DriftComparison(List.of(), 0);
		}
		Map<String, CatalogObject> before = expected.byKey();
		Map<String, CatalogObject> now = actual.byKey();
		TreeSet<String> keys = new TreeSet<>(before.keySet());
		keys.addAll(now.keySet());
		List<DriftObject> objects = new ArrayList<>();
		int ignored = 0;
		for (String key : keys) {
			CatalogObject was = before.get(key);
			CatalogObject is = now.get(key);
			if (was != null && is != null && Objects.equals(was.definition(), is.definition())) {
				continue;
			}
			CatalogObject either = (is != null) ? is : was;
			if (ignore.ignores(either)) {
				ignored++;
				continue;
			}
			DriftChange change = (was == null) ? DriftChange.ADDED
					: (is == null) ? DriftChange.REMOVED : DriftChange.CHANGED;
			objects.add(new DriftObject(either.type(), either.name(), change,
					(was != null) ? was.definition() : null, (is != null) ? is.definition() : null));
		}
		return new DriftComparison(objects, ignored);
	}

	/**
	 * What the migrations made once a run is done: the objects the run changed (between {@code before} and
	 * {@code after}) as they are now, every other object as recorded, so that drift present before the run stays
	 * drift afterwards instead of being recorded as made by the migrations.
	 */
	public static SchemaDescription carryForward(SchemaDescription recorded, SchemaDescription before,
			SchemaDescription after) {
		Map<String, CatalogObject> was = before.byKey();
		Map<String, CatalogObject> is = after.byKey();
		Map<String, CatalogObject> result = recorded.byKey();
		TreeSet<String> keys = new TreeSet<>(was.keySet());
		keys.addAll(is.keySet());
		for (String key : keys) {
			CatalogObject old = was.get(key);
			CatalogObject now = is.get(key);
			if (old != null && now != null && Objects.equals(old.definition(), now.definition())) {
				continue;
			}
			if (now != null) {
				result.put(key, now);
			}
			else {
				result.remove(key);
			}
		}
		return SchemaDescription.of(new ArrayList<>(result.values()));
	}

}
