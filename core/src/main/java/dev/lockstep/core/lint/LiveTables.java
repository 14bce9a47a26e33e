package dev.lockstep.core.lint;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Savepoint;
import java.util.HashMap;
import java.util.Map;

import org.jspecify.annotations.Nullable;

/**
 * What the live database says about the tables pending changesets touch: whether they exist, their estimated rows
 * ({@code pg_class.reltuples}; for a table never analysed, whether it holds any page at all), the table of an
 * index, a column's type, and whether a validated {@code CHECK (col IS NOT NULL)} exists. One small query per
 * question, remembered.
 */
public class LiveTables {

	private final @Nullable Connection connection;

	private final Map<String, Rows> rows = new HashMap<>();

	/** @param connection a connection to the live database, or {@code null} to grade without one (all unknown) */
	public LiveTables(@Nullable Connection connection) {
		this.connection = connection;
	}

	/**
	 * @param exists whether the table exists
	 * @param estimate its estimated rows, or {@code -1} when never analysed and not empty
	 */
	public record Rows(boolean exists, long estimate) {

		public static final Rows MISSING = new Rows(false, 0);

		public static final Rows UNKNOWN = new Rows(true, -1);

		public boolean empty() {
			return this.estimate == 0;
		}

	}

	public Rows rows(String table) {
		return this.rows.computeIfAbsent(table, this::readRows);
	}

	private Rows readRows(String table) {
		if (this.connection == null) {
			return Rows.UNKNOWN;
		}
		return query("SELECT c.reltuples::bigint, pg_relation_size(c.oid) FROM pg_class c WHERE c.oid = to_regclass(?)",
				table, (row) -> {
					long estimate = row.getLong(1);
					if (estimate < 0) {
						estimate = (row.getLong(2) == 0) ? 0 : -1;
					}
					return new Rows(true, estimate);
				}, Rows.MISSING);
	}

	/** The table an index belongs to, or {@code null}. */
	public @Nullable String tableOfIndex(String index) {
		if (this.connection == null) {
			return null;
		}
		return query("SELECT x.indrelid::regclass::text FROM pg_index x WHERE x.indexrelid = to_regclass(?)", index,
				(row) -> row.getString(1), null);
	}

	/** A column's type as {@code format_type} shows it, or {@code null}. */
	public @Nullable String columnType(String table, String column) {
		if (this.connection == null) {
			return null;
		}
		return query("SELECT format_type(a.atttypid, a.atttypmod) FROM pg_attribute a WHERE a.attrelid = "
				+ "to_regclass(?) AND a.attname = '" + column.replace("'", "''") + "' AND NOT a.attisdropped", table,
				(row) -> row.getString(1), null);
	}

	/** Whether a validated check constraint says the column is not null (then SET NOT NULL skips its scan). */
	public boolean hasValidatedNotNullCheck(String table, String column) {
		if (this.connection == null) {
			return false;
		}
		Boolean found = query("SELECT true FROM pg_constraint k WHERE k.conrelid = to_regclass(?) AND k.contype = 'c' "
				+ "AND k.convalidated AND regexp_replace(pg_get_constraintdef(k.oid), '[()\" ]', '', 'g') ILIKE "
				+ "'CHECK" + column.replace("'", "''").replace("\"", "") + "ISNOTNULL' LIMIT 1", table,
				(row) -> true, false);
		return Boolean.TRUE.equals(found);
	}

	private <T> T query(String sql, String parameter, RowMapper<T> mapper, T none) {
		Savepoint savepoint = null;
		try {
			// Inside a transaction (Liquibase's connections do not auto-commit) a failed query must not abort it.
			savepoint = this.connection.getAutoCommit() ? null : this.connection.setSavepoint();
			try (PreparedStatement statement = this.connection.prepareStatement(sql)) {
				statement.setString(1, parameter);
				try (ResultSet row = statement.executeQuery()) {
					return row.next() ? mapper.map(row) : none;
				}
			}
			finally {
				if (savepoint != null) {
					this.connection.releaseSavepoint(savepoint);
				}
			}
		}
		catch (SQLException ex) {
			// A name the database cannot resolve (a typo, a schema not there yet): nothing known about it.
			rollBackTo(savepoint);
			return none;
		}
	}

	private void rollBackTo(@Nullable Savepoint savepoint) {
		if (savepoint != null) {
			try {
				this.connection.rollback(savepoint);
			}
			catch (SQLException ex) {
				// The connection is gone: the caller's next statement says so.
			}
		}
	}

	@FunctionalInterface
	private interface RowMapper<T> {

		T map(ResultSet row) throws SQLException;

	}

}
