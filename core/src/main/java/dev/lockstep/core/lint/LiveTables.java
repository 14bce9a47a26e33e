package dev.lockstep.core.lint;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Savepoint;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Supplier;

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

	/** Column types of the tables {@link #preload} read, by table as written, then by column name. */
	private final Map<String, Map<String, String>> columnTypes = new HashMap<>();

	/** Validated check constraints ({@code pg_get_constraintdef} without brackets, quotes and spaces) likewise. */
	private final Map<String, List<String>> validatedChecks = new HashMap<>();

	/** Answers to the other questions, by question: a pending set asks the same ones many times. */
	private final Map<String, Optional<Object>> answers = new HashMap<>();

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

	/**
	 * Reads what is known about these tables (as written in the SQL) in one query, so that grading many
	 * changesets asks the database once rather than a few times per changeset. Best effort: when a batch
	 * fails (a name the database cannot parse), the questions are asked one by one as before.
	 */
	public void preload(Collection<String> tables) {
		List<String> missing = tables.stream().distinct().filter((table) -> !this.rows.containsKey(table)).toList();
		if (this.connection == null || missing.isEmpty()) {
			return;
		}
		Map<String, Rows> found = new HashMap<>();
		Map<String, Map<String, String>> types = new HashMap<>();
		Map<String, List<String>> checks = new HashMap<>();
		// One round trip: each name resolved once, then its size, its columns and its validated check constraints.
		boolean read = queryEach("WITH t AS MATERIALIZED (SELECT name, to_regclass(name) AS oid FROM "
				+ "unnest(?::text[]) AS name) "
				+ "SELECT t.name, 'r', c.reltuples::bigint, pg_relation_size(c.oid), c.oid IS NOT NULL, NULL, NULL "
				+ "FROM t LEFT JOIN pg_class c ON c.oid = t.oid "
				+ "UNION ALL SELECT t.name, 'c', 0, 0, true, a.attname::text, format_type(a.atttypid, a.atttypmod) "
				+ "FROM t JOIN pg_attribute a ON a.attrelid = t.oid AND a.attnum > 0 AND NOT a.attisdropped "
				+ "UNION ALL SELECT t.name, 'k', 0, 0, true, NULL, "
				+ "regexp_replace(pg_get_constraintdef(k.oid), '[()\" ]', '', 'g') FROM t JOIN pg_constraint k "
				+ "ON k.conrelid = t.oid AND k.contype = 'c' AND k.convalidated", missing, (row) -> {
					String table = row.getString(1);
					switch (row.getString(2)) {
						case "r" -> found.put(table, row.getBoolean(5)
								? new Rows(true, estimate(row.getLong(3), row.getLong(4))) : Rows.MISSING);
						case "c" -> types.computeIfAbsent(table, (key) -> new HashMap<>())
							.put(row.getString(6), row.getString(7));
						default -> checks.computeIfAbsent(table, (key) -> new ArrayList<>()).add(row.getString(7));
					}
				});
		if (read) {
			this.rows.putAll(found);
			for (String table : missing) {
				this.columnTypes.put(table, types.getOrDefault(table, Map.of()));
				this.validatedChecks.put(table, checks.getOrDefault(table, List.of()));
			}
		}
	}

	private static long estimate(long reltuples, long bytes) {
		// Never analysed (-1): empty if it holds no page, else unknown.
		return (reltuples >= 0) ? reltuples : (bytes == 0) ? 0 : -1;
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
		return remembered("index " + index, () -> query(
				"SELECT x.indrelid::regclass::text FROM pg_index x WHERE x.indexrelid = to_regclass(?)", index,
				(row) -> row.getString(1), null));
	}

	/** A column's type as {@code format_type} shows it, or {@code null}. */
	public @Nullable String columnType(String table, String column) {
		if (this.connection == null) {
			return null;
		}
		Map<String, String> preloaded = this.columnTypes.get(table);
		if (preloaded != null) {
			return preloaded.get(column);
		}
		return remembered("type " + table + " " + column, () -> query(
				"SELECT format_type(a.atttypid, a.atttypmod) FROM pg_attribute a WHERE a.attrelid = "
						+ "to_regclass(?) AND a.attname = '" + column.replace("'", "''") + "' AND NOT a.attisdropped",
				table, (row) -> row.getString(1), null));
	}

	/** Whether a validated check constraint says the column is not null (then SET NOT NULL skips its scan). */
	public boolean hasValidatedNotNullCheck(String table, String column) {
		if (this.connection == null) {
			return false;
		}
		List<String> preloaded = this.validatedChecks.get(table);
		if (preloaded != null) {
			String wanted = "CHECK" + column.replace("\"", "") + "ISNOTNULL";
			return preloaded.stream().anyMatch(wanted::equalsIgnoreCase);
		}
		Boolean found = remembered("check " + table + " " + column, () -> query("SELECT true FROM pg_constraint k WHERE k.conrelid = to_regclass(?) AND k.contype = 'c' "
				+ "AND k.convalidated AND regexp_replace(pg_get_constraintdef(k.oid), '[()\" ]', '', 'g') ILIKE "
				+ "'CHECK" + column.replace("'", "''").replace("\"", "") + "ISNOTNULL' LIMIT 1", table,
				(row) -> true, false));
		return Boolean.TRUE.equals(found);
	}

	@SuppressWarnings("unchecked")
	private <T> @Nullable T remembered(String question, Supplier<@Nullable T> answer) {
		Optional<Object> known = this.answers.get(question);
		if (known == null) {
			known = Optional.ofNullable(answer.get());
			this.answers.put(question, known);
		}
		return (T) known.orElse(null);
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

	/** Runs a query with the names as its one {@code text[]} parameter; whether it succeeded. */
	private boolean queryEach(String sql, List<String> names, RowConsumer consumer) {
		Savepoint savepoint = null;
		try {
			savepoint = this.connection.getAutoCommit() ? null : this.connection.setSavepoint();
			try (PreparedStatement statement = this.connection.prepareStatement(sql)) {
				statement.setArray(1, this.connection.createArrayOf("text", names.toArray()));
				try (ResultSet row = statement.executeQuery()) {
					while (row.next()) {
						consumer.accept(row);
					}
				}
			}
			if (savepoint != null) {
				this.connection.releaseSavepoint(savepoint);
			}
			return true;
		}
		catch (SQLException ex) {
			rollBackTo(savepoint);
			return false;
		}
	}

	@FunctionalInterface
	private interface RowConsumer {

		void accept(ResultSet row) throws SQLException;

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
