package dev.lockstep.core.command;

import org.jspecify.annotations.Nullable;

import dev.lockstep.core.api.DriftReport;
import dev.lockstep.core.drift.SchemaDescription;

/**
 * What {@code migrations diff} compared: the report, and the two descriptions behind it (for writing a changelog
 * of the drift or recording one side).
 *
 * @param against what the live schema was compared with
 * @param report the comparison, as {@code GET /actuator/migrations/drift} shows it
 * @param expected what the migrations made (the record, or the schema built from the changelog), or {@code null}
 * when there is none
 * @param actual the live schema, or {@code null} when it was not read (the report says why)
 * @param historyHash the hash of the live history the comparison belongs to, or {@code null}
 * @param defaultSchema the schema objects without a schema prefix live in, or {@code null}
 * @param appliedChangeSets how many changesets the live history records
 */
public record SchemaDiff(Against against, DriftReport report, @Nullable SchemaDescription expected,
		@Nullable SchemaDescription actual, @Nullable String historyHash, @Nullable String defaultSchema,
		int appliedChangeSets) {

	/** What the live schema is compared with. */
	public enum Against {

		/** The record of what the migrations made, written after each run that changed the schema. */
		RECORD,

		/** The schema the changelog makes, built in a scratch database. */
		CHANGELOG

	}

	static SchemaDiff inconclusive(Against against, DriftReport report) {
		return new SchemaDiff(against, report, null, null, null, null, 0);
	}

}
