package dev.lockstep.core.api;

/**
 * An update or rollback target that names no valid range. Says which rule it breaks, so that a command line can
 * name its own options.
 */
public class InvalidTargetException extends IllegalArgumentException {

	/** The rule broken. */
	public enum Reason {

		/** A rollback needs exactly one of a count, a tag or a date. */
		NOT_EXACTLY_ONE,

		/** An update takes a count or a tag, not both. */
		COUNT_AND_TAG,

		/** A count below one. */
		COUNT_BELOW_ONE

	}

	private final Reason reason;

	private final Integer count;

	InvalidTargetException(Reason reason, Integer count, String message) {
		super(message);
		this.reason = reason;
		this.count = count;
	}

	public Reason reason() {
		return this.reason;
	}

	/** The count given, when the reason is about it. */
	public Integer count() {
		return this.count;
	}

}
