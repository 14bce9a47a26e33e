package dev.lockstep.core.fingerprint;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.LocalDateTime;
import java.util.ArrayList;
import java.util.List;

import liquibase.database.Database;
import liquibase.structure.core.Schema;
import liquibase.structure.core.Table;

import org.jspecify.annotations.Nullable;

import dev.lockstep.core.api.AppliedChangeSet;
import dev.lockstep.core.jdbc.DatabaseSessions;
import dev.lockstep.core.jdbc.HistoryLocation;
import dev.lockstep.core.jdbc.HistoryTime;

/**
 * DATABASECHANGELOG read with one plain query, oldest first, with a hash of every column that decides what is
 * pending or modified (id, author, file, checksum, execution type).
 *
 * @param rows the applied changesets, oldest first
 * @param hash the hash over them
 */
public record HistoryRows(List<AppliedChangeSet> rows, String hash) {

	/**
	 * Whether Liquibase's history table exists, by the name and schema Liquibase gives it on this database; a
	 * catalog lookup, so that no failing query disturbs the connection's transaction. When that cannot be told,
	 * it is taken to exist (callers then read it in full).
	 */
	public static boolean tableExists(Connection connection, Database database) {
		try {
			String schema = database.getLiquibaseSchemaName();
			String correctedSchema = (schema != null) ? database.correctObjectName(schema, Schema.class) : null;
			String table = database.correctObjectName(database.getDatabaseChangeLogTableName(), Table.class);
			try (ResultSet tables = connection.getMetaData()
				.getTables(null, correctedSchema, table, new String[] { "TABLE" })) {
				while (tables.next()) {
					if (table.equals(tables.getString("TABLE_NAME"))) {
						return true;
					}
				}
				return false;
			}
		}
		catch (SQLException | RuntimeException ex) {
			return true;
		}
	}

	/**
	 * Whether these rows are the same changesets, in the same order, with the same checksums and execution types,
	 * as the given ones (read by Liquibase, whose file paths are normalized).
	 */
	public boolean sameChangeSets(List<AppliedChangeSet> others) {
		if (others.size() != this.rows.size()) {
			return false;
		}
		for (int i = 0; i < this.rows.size(); i++) {
			AppliedChangeSet mine = this.rows.get(i);
			AppliedChangeSet other = others.get(i);
			if (!dev.lockstep.core.api.ChangeSetRef.key(mine.changeLog(), mine.id(), mine.author())
				.equals(dev.lockstep.core.api.ChangeSetRef.key(other.changeLog(), other.id(), other.author()))
					|| !java.util.Objects.equals(mine.checksum(), other.checksum())
					|| !java.util.Objects.equals(mine.execType(), other.execType())) {
				return false;
			}
		}
		return true;
	}

	/**
	 * Reads the history, or returns {@code null} when there is no history table.
	 */
	public static @Nullable HistoryRows read(Connection connection, HistoryLocation location) {
		String table = location.table(connection, "DATABASECHANGELOG");
		List<AppliedChangeSet> rows = new ArrayList<>();
		MessageDigest digest = Fingerprints.sha256();
		try (Statement statement = connection.createStatement();
				ResultSet result = statement.executeQuery("SELECT ID, AUTHOR, FILENAME, MD5SUM, EXECTYPE, "
						+ "ORDEREXECUTED, DATEEXECUTED, TAG, DESCRIPTION, DEPLOYMENT_ID, COMMENTS FROM " + table
						+ " ORDER BY DATEEXECUTED, ORDEREXECUTED")) {
			while (result.next()) {
				String id = result.getString(1);
				String author = result.getString(2);
				String file = result.getString(3);
				String checksum = result.getString(4);
				String execType = result.getString(5);
				// The stored wall-clock time exactly (no detour through this JVM's zone), read as UTC.
				LocalDateTime executed = result.getObject(7, LocalDateTime.class);
				rows.add(new AppliedChangeSet(id, author, file, result.getString(9), result.getString(8),
						HistoryTime.fromStored(executed), result.getString(10), result.getInt(6), execType, checksum,
						AppliedChangeSet.isBaselined(execType, result.getString(11))));
				for (String value : new String[] { id, author, file, checksum, execType }) {
					digest.update(String.valueOf(value).getBytes(StandardCharsets.UTF_8));
					digest.update((byte) 0);
				}
				digest.update((byte) '\n');
			}
		}
		catch (SQLException ex) {
			DatabaseSessions.rollbackQuietly(connection);
			return null;
		}
		return new HistoryRows(List.copyOf(rows), Fingerprints.hex(digest.digest()));
	}

}
