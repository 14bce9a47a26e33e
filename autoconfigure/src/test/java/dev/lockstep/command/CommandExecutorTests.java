package dev.lockstep.command;

import java.time.Instant;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

class CommandExecutorTests {

	@Test
	void foldsMultiLineMessagesIntoOneReadableLine() {
		assertThat(OneLine.of("Cannot roll back 2 changeset(s): \n  - a::x (f.yaml) has no rollback block"
				+ "\n  - b::x (f.yaml) has no rollback block\nNothing was changed."))
			.isEqualTo("Cannot roll back 2 changeset(s): a::x (f.yaml) has no rollback block; "
					+ "b::x (f.yaml) has no rollback block. Nothing was changed.");
		assertThat(OneLine.of("Tables exist. Nothing was changed.\n  - customers\n  - orders"))
			.isEqualTo("Tables exist. Nothing was changed. customers; orders");
		assertThat(OneLine.of("One line.")).isEqualTo("One line.");
		assertThat(OneLine.of(null)).isEmpty();
	}

	@Test
	void datesAreMomentsWithAnOffsetOrZone() {
		Instant moment = Instant.parse("2026-11-25T09:15:30Z");
		assertThat(RollbackTargets.date("2026-11-25T09:15:30Z")).isEqualTo(moment);
		assertThat(RollbackTargets.date("2026-11-25T10:15:30+01:00")).isEqualTo(moment);
		assertThat(RollbackTargets.date("2026-11-25T04:15:30-05:00[America/New_York]")).isEqualTo(moment);
		assertThatExceptionOfType(UsageException.class).isThrownBy(() -> RollbackTargets.date("2026-11-25T10:15:30"))
			.withMessage("--to-date=2026-11-25T10:15:30 has no time zone offset: give the moment with its offset, "
					+ "e.g. --to-date=2026-11-25T10:15:30Z (UTC) or --to-date=2026-11-25T10:15:30+01:00.");
		assertThatExceptionOfType(UsageException.class).isThrownBy(() -> RollbackTargets.date("2026-11-25"))
			.withMessageContaining("--to-date=2026-11-25T00:00:00Z (UTC)");
		assertThatExceptionOfType(UsageException.class).isThrownBy(() -> RollbackTargets.date("yesterday"))
			.withMessageStartingWith("--to-date=yesterday is not a date and time: give the moment with its offset");
	}

}
