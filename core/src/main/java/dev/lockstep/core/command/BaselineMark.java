package dev.lockstep.core.command;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;

import liquibase.database.Database;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import dev.lockstep.core.api.AppliedChangeSet;

/**
 * Marks the history rows a baseline wrote, so that they stay recognisable as "recorded, never run". Liquibase's
 * changelog sync writes them as EXECTYPE EXECUTED, like rows that really ran: Lockstep sets EXECTYPE to MARK_RAN
 * (Liquibase's own word for "recorded without running", which it treats as applied) and starts the row's COMMENTS
 * with {@value AppliedChangeSet#BASELINE_MARK}, since a precondition with {@code onFail: MARK_RAN} writes MARK_RAN
 * too. The mark is kept in the row itself, so that it survives dumps and copies of the table and needs no table of
 * Lockstep's own to read.
 */
final class BaselineMark {

	private static final Logger logger = LoggerFactory.getLogger("dev.lockstep.Migrations");

	private BaselineMark() {
	}

	/**
	 * Marks the rows the given deployment (the baseline's own run, under the lock) recorded.
	 */
	static void mark(Connection connection, Database database, String deploymentId) {
		String table = database.escapeTableName(database.getLiquibaseCatalogName(), database.getLiquibaseSchemaName(),
				database.getDatabaseChangeLogTableName());
		try (PreparedStatement update = connection.prepareStatement("UPDATE " + table
				+ " SET EXECTYPE = 'MARK_RAN', COMMENTS = SUBSTRING(CONCAT(?, COALESCE(COMMENTS, '')), 1, 250)"
				+ " WHERE DEPLOYMENT_ID = ? AND EXECTYPE IN ('EXECUTED', 'MARK_RAN')")) {
			update.setString(1, AppliedChangeSet.BASELINE_MARK + " ");
			update.setString(2, deploymentId);
			update.executeUpdate();
			if (!connection.getAutoCommit()) {
				connection.commit();
			}
		}
		catch (SQLException ex) {
			logger.warn("Could not mark the baselined rows in {} ({}): they look like rows that ran", table,
					ex.getMessage());
		}
	}

}
