package dev.lockstep.core;

import java.sql.Connection;
import java.sql.SQLException;

import org.junit.jupiter.api.Test;

import dev.lockstep.core.jdbc.SessionLoss;
import dev.lockstep.core.test.TestDatabase;
import dev.lockstep.core.test.TestDatabases;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A lost session is told by SQLState or a closed connection, never by message text.
 */
class SessionLossTests {

	@Test
	void sessionEndingStatesAreFoundAnywhereInTheChain() {
		for (String state : new String[] { "57P01", "57P02", "57P03", "08006", "08003" }) {
			SQLException ended = new SQLException("whatever the server says", state);
			assertThat(SessionLoss.find(new RuntimeException(new IllegalStateException(ended)), null)).as(state)
				.isSameAs(ended);
		}
	}

	@Test
	void statementErrorsOnAnOpenConnectionAreNotALostSession() throws Exception {
		TestDatabase db = TestDatabases.create();
		try (Connection connection = db.connect()) {
			SQLException syntax = new SQLException("terminating connection (only the text says so)", "42601");
			assertThat(SessionLoss.find(new RuntimeException(syntax), connection)).isNull();
			connection.close();
			assertThat(SessionLoss.find(new RuntimeException(syntax), connection)).as("closed connection")
				.isSameAs(syntax);
		}
	}

}
