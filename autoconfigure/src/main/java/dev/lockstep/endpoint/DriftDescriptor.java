package dev.lockstep.endpoint;

import java.time.Instant;
import java.util.List;

import com.fasterxml.jackson.annotation.JsonInclude;
import org.jspecify.annotations.Nullable;

import org.springframework.boot.actuate.endpoint.OperationResponseBody;

import dev.lockstep.core.DriftStatus;
import dev.lockstep.core.api.DriftObject;
import dev.lockstep.core.api.DriftReport;

/**
 * The document served at {@code /actuator/migrations/drift}: the live schema compared with what the migrations
 * made, object by object.
 *
 * @param state what the check in effect could tell ({@code CLEAN}, {@code DRIFT}, {@code NO_RECORD},
 * {@code STALE_RECORD}, {@code RUN_IN_PROGRESS}, {@code UNSUPPORTED}, {@code DISABLED}, {@code UNAVAILABLE})
 * @param checkedAt when that check read the schema
 * @param recordedAt when the record it compared with was made
 * @param ignored how many differing objects {@code migrations.drift.ignore} left out
 * @param objects the objects that differ
 * @param message why it says less than it might (no record yet, the newest check was skipped and why...)
 * @param skippedAt when the newest check ran, when it could not compare and this earlier check is shown instead
 */
public record DriftDescriptor(String state, Instant checkedAt, @Nullable Instant recordedAt, int ignored,
		List<DriftObjectDescriptor> objects, @Nullable String message, @Nullable Instant skippedAt)
		implements OperationResponseBody {

	static DriftDescriptor of(DriftStatus drift) {
		DriftReport report = drift.report();
		return new DriftDescriptor(report.state().name(), report.checkedAt(), report.recordedAt(), report.ignored(),
				report.objects().stream().map(DriftObjectDescriptor::of).toList(), drift.message(),
				(drift.skipped() != null) ? drift.skipped().checkedAt() : null);
	}

	/**
	 * One object that differs. {@code expected} and {@code actual} are always present, {@code null} for an object
	 * that was added or removed.
	 *
	 * @param type the kind of object ({@code column}, {@code index}, ...)
	 * @param name its name, table-scoped objects as {@code table.object}
	 * @param change {@code added}, {@code removed} or {@code changed}
	 * @param expected its definition as the migrations made it
	 * @param actual its definition in the live schema
	 */
	public record DriftObjectDescriptor(String type, String name, String change,
			@JsonInclude(JsonInclude.Include.ALWAYS) @Nullable String expected,
			@JsonInclude(JsonInclude.Include.ALWAYS) @Nullable String actual) {

		static DriftObjectDescriptor of(DriftObject object) {
			return new DriftObjectDescriptor(object.type(), object.name(), object.change().value(), object.expected(),
					object.actual());
		}

	}

}
