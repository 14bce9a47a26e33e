package dev.lockstep.core.lock;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;

import dev.lockstep.core.test.TestDatabase;
import dev.lockstep.core.test.TestDatabases;

/**
 * A fresh database on the suite's shared PostgreSQL whose connections carry an application name, as the engine's run
 * sessions do (the lock reads holders from it).
 */
final class LockTestPostgres {

	private final TestDatabase database;

	private LockTestPostgres(TestDatabase database) {
		this.database = database;
	}

	/** A new, empty database on the shared server. */
	static LockTestPostgres createDatabase() {
		return new LockTestPostgres(TestDatabases.create());
	}

	/** Opens a connection labelled with the given application name. */
	Connection connect(String applicationName) {
		try {
			Connection connection = this.database.connect();
			try (PreparedStatement statement = connection
				.prepareStatement("SELECT set_config('application_name', ?, false)")) {
				statement.setString(1, applicationName);
				statement.execute();
			}
			return connection;
		}
		catch (SQLException ex) {
			throw new IllegalStateException(ex);
		}
	}

}
