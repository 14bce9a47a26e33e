package dev.lockstep.core.test;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;

import javax.sql.DataSource;

import org.postgresql.ds.PGSimpleDataSource;

/**
 * A fresh database on the test server ({@link TestDatabases#create()}), with the few JDBC helpers tests use. An
 * interface so that the Spring tests' own {@code TestDatabase} (which adds Spring Boot arguments) is one too.
 */
public interface TestDatabase {

	/** Its JDBC URL. */
	String url();

	/** Superuser name. */
	String user();

	/** Superuser password. */
	String password();

	/** Database name. */
	String name();

	static TestDatabase of(String url, String user, String password, String name) {
		return new Plain(url, user, password, name);
	}

	/** A plain JDBC data source (a new connection each time, as the engine's own sessions need). */
	default DataSource dataSource() {
		PGSimpleDataSource dataSource = new PGSimpleDataSource();
		dataSource.setURL(url());
		dataSource.setUser(user());
		dataSource.setPassword(password());
		return dataSource;
	}

	default Connection connect() throws SQLException {
		return DriverManager.getConnection(url(), user(), password());
	}

	default void execute(String sql) {
		try (Connection connection = connect(); Statement statement = connection.createStatement()) {
			statement.execute(sql);
		}
		catch (SQLException ex) {
			throw new IllegalStateException(sql, ex);
		}
	}

	default long count(String sql) {
		try (Connection connection = connect();
				Statement statement = connection.createStatement();
				ResultSet rows = statement.executeQuery(sql)) {
			rows.next();
			return rows.getLong(1);
		}
		catch (SQLException ex) {
			throw new IllegalStateException(sql, ex);
		}
	}

	default List<List<String>> rows(String sql) {
		try (Connection connection = connect();
				Statement statement = connection.createStatement();
				ResultSet rows = statement.executeQuery(sql)) {
			List<List<String>> result = new ArrayList<>();
			int columns = rows.getMetaData().getColumnCount();
			while (rows.next()) {
				List<String> row = new ArrayList<>();
				for (int i = 1; i <= columns; i++) {
					row.add(rows.getString(i));
				}
				result.add(row);
			}
			return result;
		}
		catch (SQLException ex) {
			throw new IllegalStateException(sql, ex);
		}
	}

	/** Drops this database, ending its sessions, as if the database went away. */
	default void dropDatabase() {
		try (Connection connection = DriverManager.getConnection(TestDatabases.adminUrl(), user(), password());
				Statement statement = connection.createStatement()) {
			statement.execute("DROP DATABASE " + name() + " WITH (FORCE)");
		}
		catch (SQLException ex) {
			throw new IllegalStateException("Could not drop " + name(), ex);
		}
	}

	default boolean tableExists(String table) {
		return count("SELECT count(*) FROM information_schema.tables WHERE table_name = '" + table + "'") > 0;
	}

	record Plain(String url, String user, String password, String name) implements TestDatabase {
	}

}
