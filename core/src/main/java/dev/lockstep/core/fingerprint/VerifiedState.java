package dev.lockstep.core.fingerprint;

import java.io.IOException;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

import liquibase.resource.ResourceAccessor;

import org.jspecify.annotations.Nullable;

import dev.lockstep.core.jdbc.DatabaseSessions;
import dev.lockstep.core.jdbc.HistoryLocation;

/**
 * Remembers, in {@code LOCKSTEP_VERIFIED}, that a changelog (by the hash of all its inputs) was found fully
 * applied on a history (by the hash of its rows), so that the next start of the same version can tell "nothing to
 * do" without parsing and validating thousands of changesets. Any edited or added changelog file, changed setting
 * (contexts, labels, parameters, schemas) or changed history row changes a hash, and the full check runs.
 */
public final class VerifiedState {

	public static final String TABLE = "LOCKSTEP_VERIFIED";

	private static final int KEPT_PER_SETTINGS = 5;

	private final HistoryLocation location;

	private final String settingsHash;

	/**
	 * @param location the history's location: this table lives beside it
	 * @param settingsDescription everything besides the changelog's files that decides the parse and the filters
	 */
	public VerifiedState(HistoryLocation location, String settingsDescription) {
		this.location = location;
		this.settingsHash = Fingerprints.sha256(settingsDescription);
	}

	/**
	 * Returns the history when a stored verification of this changelog (its inputs hashed as they are now) matches
	 * it, otherwise {@code null}. The history is read only when such a verification exists.
	 */
	public @Nullable HistoryRows matches(Connection connection,
			java.util.function.Supplier<@Nullable HistoryRows> history,
			ResourceAccessor resources) {
		List<String[]> candidates = new ArrayList<>();
		String table = this.location.table(connection, TABLE);
		try (PreparedStatement statement = connection.prepareStatement(
				"SELECT CHANGELOG_HASH, SOURCES, HISTORY_HASH FROM " + table + " WHERE SETTINGS_HASH = ?")) {
			statement.setString(1, this.settingsHash);
			try (ResultSet rows = statement.executeQuery()) {
				while (rows.next()) {
					candidates.add(new String[] { rows.getString(1), rows.getString(2), rows.getString(3) });
				}
			}
		}
		catch (SQLException ex) {
			DatabaseSessions.rollbackQuietly(connection);
			return null;
		}
		for (String[] candidate : candidates) {
			try {
				if (candidate[0].equals(ChangeLogSources.parse(candidate[1]).hash(resources))) {
					HistoryRows rows = history.get();
					return (rows != null && rows.hash().equals(candidate[2])) ? rows : null;
				}
			}
			catch (IOException | RuntimeException ex) {
				// An input is gone: the changelog changed.
			}
		}
		return null;
	}

	/**
	 * Stores a verification of the changelog whose inputs, hashed as they were parsed, gave {@code changeLogHash}.
	 * Creates the table only when allowed (by the holder of the migration lock); otherwise writes only where the
	 * table exists.
	 */
	public void remember(Connection connection, HistoryRows history, ChangeLogSources sources,
			String changeLogHash, boolean mayCreateTable) {
		try {
			String table = this.location.table(connection, TABLE);
			boolean autoCommit = connection.getAutoCommit();
			try {
				if (mayCreateTable) {
					connection.setAutoCommit(true);
					try (Statement statement = connection.createStatement()) {
						statement.execute("CREATE TABLE IF NOT EXISTS " + table + " (SETTINGS_HASH VARCHAR(64) "
								+ "NOT NULL, CHANGELOG_HASH VARCHAR(64) NOT NULL, HISTORY_HASH VARCHAR(64) NOT NULL, "
								+ "SOURCES TEXT NOT NULL, VERIFIED_AT TIMESTAMP NOT NULL, "
								+ "PRIMARY KEY (SETTINGS_HASH, CHANGELOG_HASH))");
					}
				}
				connection.setAutoCommit(false);
				try (PreparedStatement delete = connection.prepareStatement(
						"DELETE FROM " + table + " WHERE SETTINGS_HASH = ? AND CHANGELOG_HASH = ?");
						PreparedStatement insert = connection.prepareStatement("INSERT INTO " + table
								+ " (SETTINGS_HASH, CHANGELOG_HASH, HISTORY_HASH, SOURCES, VERIFIED_AT) VALUES (?, ?, ?, ?, ?)")) {
					delete.setString(1, this.settingsHash);
					delete.setString(2, changeLogHash);
					delete.executeUpdate();
					insert.setString(1, this.settingsHash);
					insert.setString(2, changeLogHash);
					insert.setString(3, history.hash());
					insert.setString(4, sources.serialize());
					insert.setTimestamp(5, Timestamp.from(Instant.now()));
					insert.executeUpdate();
					pruneOldest(connection, table);
					connection.commit();
				}
				catch (SQLException ex) {
					connection.rollback();
				}
			}
			finally {
				connection.setAutoCommit(autoCommit);
			}
		}
		catch (SQLException | RuntimeException ex) {
			// Only an optimisation: the next start runs the full check.
			DatabaseSessions.rollbackQuietly(connection);
		}
	}

	private void pruneOldest(Connection connection, String table) throws SQLException {
		List<String> hashes = new ArrayList<>();
		try (PreparedStatement select = connection.prepareStatement("SELECT CHANGELOG_HASH FROM " + table
				+ " WHERE SETTINGS_HASH = ? ORDER BY VERIFIED_AT DESC")) {
			select.setString(1, this.settingsHash);
			try (ResultSet rows = select.executeQuery()) {
				while (rows.next()) {
					hashes.add(rows.getString(1));
				}
			}
		}
		for (String old : hashes.subList(Math.min(KEPT_PER_SETTINGS, hashes.size()), hashes.size())) {
			try (PreparedStatement delete = connection.prepareStatement(
					"DELETE FROM " + table + " WHERE SETTINGS_HASH = ? AND CHANGELOG_HASH = ?")) {
				delete.setString(1, this.settingsHash);
				delete.setString(2, old);
				delete.executeUpdate();
			}
		}
	}

}
