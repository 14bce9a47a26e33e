package dev.lockstep.test;

import javax.sql.DataSource;

import org.springframework.jdbc.datasource.DriverManagerDataSource;

/**
 * A fresh database on the test server; the core's {@link dev.lockstep.core.test.TestDatabase} (JDBC helpers) plus
 * what a Spring Boot application needs to use it.
 *
 * @param url its JDBC URL
 * @param user superuser name
 * @param password superuser password
 * @param name database name
 */
public record TestDatabase(String url, String user, String password, String name)
		implements dev.lockstep.core.test.TestDatabase {

	@Override
	public DataSource dataSource() {
		return new DriverManagerDataSource(this.url, this.user, this.password);
	}

	/** Spring Boot arguments that point an application at this database. */
	public String[] springArguments() {
		return new String[] { "--spring.datasource.url=" + this.url, "--spring.datasource.username=" + this.user,
				"--spring.datasource.password=" + this.password };
	}

}
