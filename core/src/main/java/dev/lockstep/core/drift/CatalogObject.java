package dev.lockstep.core.drift;

import org.jspecify.annotations.Nullable;

/**
 * One object of a schema description, normalised so that two databases migrated the same way describe it alike:
 * no OIDs, no positions, names qualified by schema in definitions.
 *
 * @param type the kind of object (see {@link dev.lockstep.core.api.DriftObject#type()})
 * @param name its name as shown, table-scoped objects as {@code table.object}
 * @param table the table (or view) it belongs to, for ignore patterns on tables; {@code null} for objects of
 * their own (tables themselves, functions, types, sequences)
 * @param definition its normalised definition
 */
public record CatalogObject(String type, String name, @Nullable String table, String definition) {

	/** What identifies the object: its type and name. */
	public String key() {
		return this.type + ":" + this.name;
	}

}
