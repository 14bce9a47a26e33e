package dev.lockstep.core.api;

import org.jspecify.annotations.Nullable;

/**
 * How far an update goes: everything pending, the next {@code count} changesets, or up to a tag.
 *
 * @param count how many changesets to apply, or {@code null}
 * @param toTag the tag to stop at (its tagDatabase changeset included), or {@code null}
 */
public record UpdateTarget(@Nullable Integer count, @Nullable String toTag) {

	public static final UpdateTarget ALL = new UpdateTarget(null, null);

	public UpdateTarget {
		if (count != null && toTag != null) {
			throw new InvalidTargetException(InvalidTargetException.Reason.COUNT_AND_TAG, count,
					"Give either a count or a tag, not both");
		}
		if (count != null && count < 1) {
			throw new InvalidTargetException(InvalidTargetException.Reason.COUNT_BELOW_ONE, count,
					"The count must be at least 1, not " + count);
		}
	}

	public static UpdateTarget count(int count) {
		return new UpdateTarget(count, null);
	}

	public static UpdateTarget toTag(String tag) {
		return new UpdateTarget(null, tag);
	}

	public boolean isAll() {
		return this.count == null && this.toTag == null;
	}

}
