package dev.lockstep.command;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class CommandExecutorTests {

	@Test
	void foldsMultiLineMessagesIntoOneReadableLine() {
		assertThat(CommandExecutor.oneLine("Cannot roll back 2 changeset(s): \n  - a::x (f.yaml) has no rollback block"
				+ "\n  - b::x (f.yaml) has no rollback block\nNothing was changed."))
			.isEqualTo("Cannot roll back 2 changeset(s): a::x (f.yaml) has no rollback block; "
					+ "b::x (f.yaml) has no rollback block. Nothing was changed.");
		assertThat(CommandExecutor.oneLine("Tables exist. Nothing was changed.\n  - customers\n  - orders"))
			.isEqualTo("Tables exist. Nothing was changed. customers; orders");
		assertThat(CommandExecutor.oneLine("One line.")).isEqualTo("One line.");
		assertThat(CommandExecutor.oneLine(null)).isEmpty();
	}

}
