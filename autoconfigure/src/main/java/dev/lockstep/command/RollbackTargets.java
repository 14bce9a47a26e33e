package dev.lockstep.command;

import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.time.ZonedDateTime;
import java.time.format.DateTimeParseException;

import org.jspecify.annotations.Nullable;

import dev.lockstep.core.api.RollbackTarget;

/**
 * The target of {@code rollback} and {@code rollback-sql}: {@code --count=N}, {@code --to-tag=T} or
 * {@code --to-date=ISO-with-offset}.
 */
final class RollbackTargets {

	private RollbackTargets() {
	}

	static RollbackTarget of(CommandLine line) {
		return new RollbackTarget(line.intOption("count"), line.option("to-tag"), date(line.option("to-date")));
	}

	/**
	 * A moment with its offset or zone. A local date or time is refused: the history's times are instants, and a
	 * local time would be a different moment in every operator's zone.
	 */
	static @Nullable Instant date(@Nullable String text) {
		if (text == null) {
			return null;
		}
		try {
			return OffsetDateTime.parse(text).toInstant();
		}
		catch (DateTimeParseException notOffset) {
			try {
				return ZonedDateTime.parse(text).toInstant();
			}
			catch (DateTimeParseException notZoned) {
				String example = example(text);
				throw new UsageException("--to-date=" + text + ((example != null) ? " has no time zone offset"
						: " is not a date and time") + ": give the moment with its offset, e.g. --to-date="
						+ ((example != null) ? example : "2026-11-25T10:15:30") + "Z (UTC) or --to-date="
						+ ((example != null) ? example : "2026-11-25T10:15:30") + "+01:00.");
			}
		}
	}

	/** The date-time a local date or time stands for, as the start of an example with an offset. */
	private static @Nullable String example(String text) {
		try {
			return LocalDateTime.parse(text).toString();
		}
		catch (DateTimeParseException notLocal) {
			try {
				return LocalDate.parse(text).atStartOfDay().toString() + ":00";
			}
			catch (DateTimeParseException notDate) {
				return null;
			}
		}
	}

}
