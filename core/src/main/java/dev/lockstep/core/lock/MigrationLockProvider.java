package dev.lockstep.core.lock;

import java.sql.Connection;
import java.sql.SQLException;
import java.util.Optional;

/**
 * Makes the migration lock for the databases it knows; {@link MigrationLocks} asks its providers in order.
 */
@FunctionalInterface
public interface MigrationLockProvider {

	/**
	 * @param connection an open connection to the database, to tell what it is (not kept)
	 * @return the lock for that database, or empty when this provider does not handle it
	 * @throws SQLException when the database cannot be read
	 */
	Optional<MigrationLock> lockFor(Connection connection, MigrationLockContext context) throws SQLException;

}
