package dev.lockstep.test;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;

import javax.sql.DataSource;

import org.springframework.jdbc.datasource.DriverManagerDataSource;

/**
 * A fresh database on the test server.
 *
 * @param url its JDBC URL
 * @param user superuser name
 * @param password superuser password
 * @param name database name
 */
public record TestDatabase(String url, String user, String password, String name) {

	public DataSource dataSource() {
		return new DriverManagerDataSource(this.url, this.user, this.password);
	}

	public Connection connect() throws SQLException {
		return DriverManager.getConnection(this.url, this.user, this.password);
	}

	/** Spring Boot arguments that point an application at this database. */
	public String[] springArguments() {
		return new String[] { "--spring.datasource.url=" + this.url, "--spring.datasource.username=" + this.user,
				"--spring.datasource.password=" + this.password };
	}

	public void execute(String sql) {
		try (Connection connection = connect(); Statement statement = connection.createStatement()) {
			statement.execute(sql);
		}
		catch (SQLException ex) {
			throw new IllegalStateException(sql, ex);
		}
	}

	public long count(String sql) {
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

	public List<List<String>> rows(String sql) {
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
	public void dropDatabase() {
		try (Connection connection = DriverManager.getConnection(TestDatabases.adminUrl(), this.user, this.password);
				Statement statement = connection.createStatement()) {
			statement.execute("DROP DATABASE " + this.name + " WITH (FORCE)");
		}
		catch (SQLException ex) {
			throw new IllegalStateException("Could not drop " + this.name, ex);
		}
	}

	public boolean tableExists(String table) {
		return count("SELECT count(*) FROM information_schema.tables WHERE table_name = '" + table + "'") > 0;
	}

}
