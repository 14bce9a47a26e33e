package dev.lockstep.core.api;

import java.time.Instant;

import org.jspecify.annotations.Nullable;

/**
 * How far a rollback goes: the last {@code count} changesets, back to a tag, or back to a moment.
 *
 * @param count how many of the most recent changesets to undo, or {@code null}
 * @param toTag undo everything applied after this tag, or {@code null}
 * @param toDate undo everything applied after this moment, or {@code null}
 */
public record RollbackTarget(@Nullable Integer count, @Nullable String toTag, @Nullable Instant toDate) {

	public RollbackTarget {
		int given = ((count != null) ? 1 : 0) + ((toTag != null) ? 1 : 0) + ((toDate != null) ? 1 : 0);
		if (given != 1) {
			throw new InvalidTargetException(InvalidTargetException.Reason.NOT_EXACTLY_ONE, count,
					"Give exactly one of a count, a tag or a date");
		}
		if (count != null && count < 1) {
			throw new InvalidTargetException(InvalidTargetException.Reason.COUNT_BELOW_ONE, count,
					"The count must be at least 1, not " + count);
		}
	}

	public static RollbackTarget count(int count) {
		return new RollbackTarget(count, null, null);
	}

	public static RollbackTarget toTag(String tag) {
		return new RollbackTarget(null, tag, null);
	}

	public static RollbackTarget toDate(Instant date) {
		return new RollbackTarget(null, null, date);
	}

	@Override
	public String toString() {
		if (this.count != null) {
			return "the last " + this.count + " changeset(s)";
		}
		return (this.toTag != null) ? "back to tag " + this.toTag : "back to " + this.toDate;
	}

}
