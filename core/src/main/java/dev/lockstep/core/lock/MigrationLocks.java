package dev.lockstep.core.lock;

import java.sql.Connection;
import java.sql.SQLException;
import java.util.List;
import java.util.Optional;

/**
 * Picks the migration lock for a database: the first of its providers that handles it.
 */
public final class MigrationLocks {

	private final List<MigrationLockProvider> providers;

	/**
	 * @param providers asked in this order; the last should handle every database
	 */
	public MigrationLocks(List<MigrationLockProvider> providers) {
		this.providers = List.copyOf(providers);
	}

	/** PostgreSQL's advisory lock where available, Liquibase's DATABASECHANGELOGLOCK row everywhere else. */
	public static MigrationLocks standard() {
		return new MigrationLocks(List.of(PostgresAdvisoryLock.provider(), LiquibaseRowLock.provider()));
	}

	/**
	 * @throws SQLException when the database cannot be read
	 * @throws IllegalStateException when no provider handles the database
	 */
	public MigrationLock lockFor(Connection connection, MigrationLockContext context) throws SQLException {
		for (MigrationLockProvider provider : this.providers) {
			Optional<MigrationLock> lock = provider.lockFor(connection, context);
			if (lock.isPresent()) {
				return lock.get();
			}
		}
		throw new IllegalStateException("No migration lock for " + connection.getMetaData().getDatabaseProductName());
	}

}
