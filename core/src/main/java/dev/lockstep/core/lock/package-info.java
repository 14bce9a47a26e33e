/**
 * The migration lock: an SPI ({@link dev.lockstep.core.lock.MigrationLock}, {@link dev.lockstep.core.lock.LockHandle})
 * with one implementation per kind of database, picked by {@link dev.lockstep.core.lock.MigrationLocks}: a
 * PostgreSQL session advisory lock, and Liquibase's own DATABASECHANGELOGLOCK row everywhere else.
 */
@NullMarked
package dev.lockstep.core.lock;

import org.jspecify.annotations.NullMarked;
