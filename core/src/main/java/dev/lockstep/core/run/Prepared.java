package dev.lockstep.core.run;

import dev.lockstep.core.api.HistoryReport;
import dev.lockstep.core.changelog.LoadedChangeLog;
import dev.lockstep.core.lock.MigrationLock;

/**
 * Where the schema stood and which lock protects it, read before any lock is taken.
 *
 * @param changeLog the parsed changelog
 * @param lock the lock for this database
 * @param report the status read without the lock
 */
public record Prepared(LoadedChangeLog changeLog, MigrationLock lock, HistoryReport report) {
}
