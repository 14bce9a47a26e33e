package dev.lockstep.core.api;

import org.jspecify.annotations.Nullable;

/**
 * One schema object that differs from what the migrations made.
 *
 * @param type the kind of object: {@code table}, {@code column}, {@code constraint}, {@code index}, {@code view},
 * {@code materialized view}, {@code sequence}, {@code function}, {@code procedure}, {@code aggregate},
 * {@code trigger}, {@code type}, {@code policy}, {@code extension}
 * @param name its name, table-scoped objects as {@code table.object}; schema-qualified outside the default schema
 * @param change added, removed or changed
 * @param expected its definition as the migrations made it, {@code null} when added
 * @param actual its definition in the live schema, {@code null} when removed
 */
public record DriftObject(String type, String name, DriftChange change, @Nullable String expected,
		@Nullable String actual) {

	/** One line for people, e.g. {@code column orders.note: added (text null)}. */
	public String describe() {
		return switch (this.change) {
			case ADDED -> this.type + " " + this.name + ": added (" + this.actual + ")";
			case REMOVED -> this.type + " " + this.name + ": removed (was " + this.expected + ")";
			case CHANGED -> this.type + " " + this.name + ": changed from " + this.expected + " to " + this.actual;
		};
	}

}
