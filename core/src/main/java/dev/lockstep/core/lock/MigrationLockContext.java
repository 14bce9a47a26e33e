package dev.lockstep.core.lock;

import java.sql.Connection;
import java.util.function.Function;

import liquibase.database.Database;

import dev.lockstep.core.jdbc.HistoryLocation;

/**
 * What a {@link MigrationLockProvider} may use to make a lock.
 *
 * @param connections opens a new connection of the run's own, labelled with the given application name
 * @param databases wraps a connection in a Liquibase database with the run's schema settings
 * @param history where the history (and with it DATABASECHANGELOGLOCK) lives
 * @param holderName who this process is, as {@link PostgresAdvisoryLock#holderName} encodes it
 */
public record MigrationLockContext(Function<String, Connection> connections, Function<Connection, Database> databases,
		HistoryLocation history, String holderName) {
}
