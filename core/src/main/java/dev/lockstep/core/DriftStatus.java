package dev.lockstep.core;

import java.time.Instant;
import java.util.List;

import org.jspecify.annotations.Nullable;

import dev.lockstep.core.api.DriftObject;
import dev.lockstep.core.api.DriftReport;
import dev.lockstep.core.api.DriftState;

/**
 * What is known about drift at one moment: the report in effect and, when the newest check could not tell (a run
 * held the lock, the catalog could not be read), that attempt. Such an attempt never replaces a conclusive report:
 * a run in progress or a lost connection does not make known drift disappear, nor invent a clean schema.
 *
 * @param report the report in effect: the newest one, unless that one could not tell and an earlier one could
 * @param skipped the newest check when it could not tell and {@code report} is kept instead; otherwise {@code null}
 */
public record DriftStatus(DriftReport report, @Nullable DriftReport skipped) {

	/**
	 * What is known after a new check.
	 * @param previous what was known before, or {@code null}
	 * @param newest the new check's report
	 * @return the new status
	 */
	public static DriftStatus next(@Nullable DriftStatus previous, DriftReport newest) {
		if (isTransient(newest.state()) && previous != null && previous.report().state().isConclusive()) {
			return new DriftStatus(previous.report(), newest);
		}
		return new DriftStatus(newest, null);
	}

	/** Whether a check that ended in this state says nothing about the schema that should replace what is known. */
	static boolean isTransient(DriftState state) {
		return state == DriftState.RUN_IN_PROGRESS || state == DriftState.UNAVAILABLE;
	}

	public DriftState state() {
		return this.report.state();
	}

	/** Whether the report in effect lists objects that differ. */
	public boolean hasDrift() {
		return this.report.hasDrift();
	}

	public List<DriftObject> objects() {
		return this.report.objects();
	}

	/** When the report in effect was checked. */
	public Instant checkedAt() {
		return this.report.checkedAt();
	}

	/** When the newest check ran, whether or not it could tell. */
	public Instant attemptedAt() {
		return (this.skipped != null) ? this.skipped.checkedAt() : this.report.checkedAt();
	}

	/**
	 * The number of objects that differ, as a gauge shows it: {@code NaN} unless the report in effect is conclusive,
	 * so that an alert on "more than 0" does not fire on "unknown".
	 */
	public double objectCount() {
		return this.report.state().isConclusive() ? this.report.objects().size() : Double.NaN;
	}

	/**
	 * Why the report says less than it might: the report's own message, or that the newest check was skipped and
	 * why; {@code null} when there is nothing to say.
	 */
	public @Nullable String message() {
		if (this.skipped != null) {
			return "The newest check (" + this.skipped.checkedAt() + ") could not compare (" + this.skipped.state()
					+ "): " + this.skipped.message() + "; shown is the last check that could, at "
					+ this.report.checkedAt();
		}
		return this.report.message();
	}

}
