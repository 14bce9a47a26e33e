package dev.lockstep.core.ddl;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The INVALID indexes a failed {@code CREATE INDEX CONCURRENTLY} leaves behind ({@code pg_index.indisvalid} false):
 * they cost every write and serve no read, and the changeset that creates one fails on it when run again. Before
 * such a changeset runs, the index it creates is dropped concurrently if an INVALID one of that name is there.
 */
public final class InvalidIndexes {

	private static final Logger logger = LoggerFactory.getLogger("dev.lockstep.Migrations");

	private static final String NAME = "(\"(?:[^\"]|\"\")+\"|[A-Za-z_][\\w$]*)";

	private static final String QNAME = "((?:\"(?:[^\"]|\"\")+\"|[A-Za-z_][\\w$]*)(?:\\.(?:\"(?:[^\"]|\"\")+\"|[A-Za-z_][\\w$]*))?)";

	/** {@code CREATE [UNIQUE] INDEX CONCURRENTLY [IF NOT EXISTS] name ON [ONLY] table}: group 1 the name, 2 the table. */
	private static final Pattern CREATE_CONCURRENTLY = Pattern.compile("^\\s*CREATE\\s+(?:UNIQUE\\s+)?INDEX\\s+"
			+ "CONCURRENTLY\\s+(?:IF\\s+NOT\\s+EXISTS\\s+)?" + NAME + "\\s+ON\\s+(?:ONLY\\s+)?" + QNAME,
			Pattern.CASE_INSENSITIVE);

	private static final String FIND = """
			SELECT quote_ident(n.nspname) || '.' || quote_ident(c.relname)
			FROM pg_index i JOIN pg_class c ON c.oid = i.indexrelid JOIN pg_namespace n ON n.oid = c.relnamespace
			WHERE NOT i.indisvalid AND c.relname = ? AND i.indrelid = to_regclass(?)""";

	private static final String LIST = """
			SELECT c.relname FROM pg_index i JOIN pg_class c ON c.oid = i.indexrelid
			JOIN pg_namespace n ON n.oid = c.relnamespace
			WHERE NOT i.indisvalid AND n.nspname = ? ORDER BY c.relname""";

	private InvalidIndexes() {
	}

	/** An index a statement creates concurrently: its name as PostgreSQL stores it, and its table as written. */
	public record ConcurrentIndex(String name, String table) {
	}

	/** The index the statement creates concurrently, or {@code null} when it does not (or leaves it unnamed). */
	public static @Nullable ConcurrentIndex createdConcurrently(String statement) {
		Matcher matcher = CREATE_CONCURRENTLY.matcher(statement);
		if (!matcher.find()) {
			return null;
		}
		return new ConcurrentIndex(identifier(matcher.group(1)), matcher.group(2));
	}

	/**
	 * Drops, concurrently, the INVALID index of that name on that table, if there is one.
	 * @param connection the run's session, outside any transaction of a changeset
	 * @param index the index a changeset is about to create
	 * @param changeSet the changeset, for the log line
	 * @return whether an INVALID index was dropped
	 * @throws SQLException when it cannot be read or dropped
	 */
	public static boolean dropIfInvalid(Connection connection, ConcurrentIndex index, String changeSet)
			throws SQLException {
		String found = null;
		try (PreparedStatement statement = connection.prepareStatement(FIND)) {
			statement.setString(1, index.name());
			statement.setString(2, index.table());
			try (ResultSet rows = statement.executeQuery()) {
				if (rows.next()) {
					found = rows.getString(1);
				}
			}
		}
		boolean autoCommit = connection.getAutoCommit();
		if (found == null) {
			if (!autoCommit) {
				connection.commit();
			}
			return false;
		}
		logger.warn("Index {} is INVALID (a CREATE INDEX CONCURRENTLY failed or was interrupted): dropping it "
				+ "concurrently before changeset {} builds it again", found, changeSet);
		// DROP INDEX CONCURRENTLY cannot run in a transaction block.
		if (!autoCommit) {
			connection.commit();
			connection.setAutoCommit(true);
		}
		try (Statement statement = connection.createStatement()) {
			statement.execute("DROP INDEX CONCURRENTLY IF EXISTS " + found);
		}
		finally {
			if (!autoCommit) {
				connection.setAutoCommit(false);
			}
		}
		logger.info("Dropped the INVALID index {}", found);
		return true;
	}

	/**
	 * The INVALID indexes in the schema (also one a {@code CREATE INDEX CONCURRENTLY} is building right now).
	 * @param connection any connection to the database
	 * @param schema the schema, as PostgreSQL stores its name
	 * @return their names, sorted
	 * @throws SQLException when the catalog cannot be read
	 */
	public static List<String> in(Connection connection, String schema) throws SQLException {
		List<String> names = new ArrayList<>();
		try (PreparedStatement statement = connection.prepareStatement(LIST)) {
			statement.setString(1, schema);
			try (ResultSet rows = statement.executeQuery()) {
				while (rows.next()) {
					names.add(rows.getString(1));
				}
			}
		}
		return names;
	}

	/** A name as PostgreSQL stores it: quoted names as written, others folded to lower case. */
	private static String identifier(String written) {
		if (written.startsWith("\"")) {
			return written.substring(1, written.length() - 1).replace("\"\"", "\"");
		}
		return written.toLowerCase(java.util.Locale.ROOT);
	}

}
