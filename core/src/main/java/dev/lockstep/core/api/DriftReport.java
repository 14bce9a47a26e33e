package dev.lockstep.core.api;

import java.time.Instant;
import java.util.List;

import org.jspecify.annotations.Nullable;

/**
 * The live schema compared with what the migrations made.
 *
 * @param state what the check could tell
 * @param checkedAt when the live schema was read
 * @param objects the objects that differ, ordered by type and name; empty unless {@link DriftState#DRIFT}
 * @param ignored how many differing objects {@code migrations.drift.ignore} left out
 * @param recordedAt when the record compared with was made, or {@code null}
 * @param message why the check could not tell, for states other than clean and drift; otherwise {@code null}
 */
public record DriftReport(DriftState state, Instant checkedAt, List<DriftObject> objects, int ignored,
		@Nullable Instant recordedAt, @Nullable String message) {

	public DriftReport {
		objects = List.copyOf(objects);
	}

	public static DriftReport inconclusive(DriftState state, Instant checkedAt, @Nullable Instant recordedAt,
			String message) {
		return new DriftReport(state, checkedAt, List.of(), 0, recordedAt, message);
	}

	public boolean hasDrift() {
		return this.state == DriftState.DRIFT && !this.objects.isEmpty();
	}

}
