package dev.lockstep.autoconfigure;

import java.nio.file.Path;
import java.util.List;

import javax.sql.DataSource;

import com.zaxxer.hikari.HikariDataSource;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import org.springframework.boot.WebApplicationType;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Primary;
import org.springframework.core.env.Environment;

import dev.lockstep.core.MigrationMonitor;
import dev.lockstep.core.StatusSnapshot;
import dev.lockstep.test.ChangeLogFile;
import dev.lockstep.test.RunningApp;
import dev.lockstep.test.TestApplication;
import dev.lockstep.test.TestDatabase;
import dev.lockstep.test.TestDatabases;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A run's connections carry the application's connection settings (Hikari's {@code schema},
 * {@code connection-init-sql} and {@code data-source-properties}); {@code migrations.url/user/password} change
 * only the URL and the credentials. Each run applies a changeset that records what its session saw.
 */
class MigrationConnectionSettingsTests {

	/** Records the schema, role, login and a custom setting of the session that applies it. */
	private static final String PROBE = """
			  - changeSet:
			      id: 1-probe
			      author: ops
			      changes:
			        - sql:
			            sql: >-
			              CREATE TABLE probe AS SELECT current_schema()::text AS schema_name,
			              current_user::text AS role_name, session_user::text AS login_name,
			              current_setting('lockstep.probe', true) AS probe_setting
			""";

	@TempDir
	Path dir;

	@Test
	void hikariSchemaIsWhereTablesLandAndWhereTheStatusIsRead() {
		TestDatabase db = TestDatabases.create();
		db.execute("CREATE SCHEMA app");
		try (ConfigurableApplicationContext app = start(db, "spring.datasource.hikari.schema=app")) {
			assertThat(schemaOf(db, "probe")).containsExactly("app");
			assertThat(schemaOf(db, "databasechangelog")).containsExactly("app");
			assertThat(probe(db, "app").get(0)).isEqualTo("app");
			StatusSnapshot status = app.getBean(MigrationMonitor.class).snapshot();
			assertThat(status.state().name()).isEqualTo("UP_TO_DATE");
			assertThat(status.status().database().schema()).isEqualTo("app");
		}
	}

	@Test
	void connectionInitSqlSetsTheRoleThatOwnsTheTables() {
		TestDatabase db = TestDatabases.create();
		createOwnerRole(db);
		try (ConfigurableApplicationContext app = start(db,
				"spring.datasource.hikari.connection-init-sql=SET ROLE owner_role")) {
			assertThat(ownerOf(db, "public", "probe")).isEqualTo("owner_role");
			assertThat(ownerOf(db, "public", "databasechangelog")).isEqualTo("owner_role");
			assertThat(probe(db, "public").get(1)).isEqualTo("owner_role");
		}
	}

	@Test
	void dataSourcePropertyCurrentSchemaIsWhereTablesLand() {
		TestDatabase db = TestDatabases.create();
		db.execute("CREATE SCHEMA app");
		try (ConfigurableApplicationContext app = start(db,
				"spring.datasource.hikari.data-source-properties.currentSchema=app")) {
			assertThat(schemaOf(db, "probe")).containsExactly("app");
			assertThat(schemaOf(db, "databasechangelog")).containsExactly("app");
			assertThat(app.getBean(MigrationMonitor.class).snapshot().state().name()).isEqualTo("UP_TO_DATE");
		}
	}

	@Test
	void dataSourcePropertyOptionsReachTheSession() {
		TestDatabase db = TestDatabases.create();
		try (ConfigurableApplicationContext app = start(db,
				"spring.datasource.hikari.data-source-properties.options=-c lockstep.probe=from-the-app")) {
			assertThat(probe(db, "public").get(3)).isEqualTo("from-the-app");
		}
	}

	@Test
	void migrationsCredentialsChangeOnlyTheLogin() {
		TestDatabase db = TestDatabases.create();
		db.execute("CREATE SCHEMA app");
		createOwnerRole(db);
		db.execute("GRANT CREATE, USAGE ON SCHEMA app TO owner_role");
		createRole(db, "migrator LOGIN PASSWORD 'migrator-secret' IN ROLE owner_role");
		try (ConfigurableApplicationContext app = start(db, "spring.datasource.hikari.schema=app",
				"spring.datasource.hikari.connection-init-sql=SET ROLE owner_role",
				"spring.datasource.hikari.data-source-properties.options=-c lockstep.probe=from-the-app",
				"migrations.user=migrator", "migrations.password=migrator-secret")) {
			assertThat(probe(db, "app")).containsExactly("app", "owner_role", "migrator", "from-the-app");
			assertThat(ownerOf(db, "app", "probe")).isEqualTo("owner_role");
			assertThat(ownerOf(db, "app", "databasechangelog")).isEqualTo("owner_role");
			assertThat(app.getBean(MigrationMonitor.class).snapshot().state().name()).isEqualTo("UP_TO_DATE");
			// The application's own connections are unchanged.
			assertThat(app.getBean(HikariDataSource.class).getUsername()).isEqualTo(db.user());
		}
	}

	@Test
	void migrationsUrlChangesOnlyTheDatabase() {
		TestDatabase db = TestDatabases.create();
		TestDatabase other = TestDatabases.create();
		other.execute("CREATE SCHEMA app");
		try (ConfigurableApplicationContext app = start(db, "spring.datasource.hikari.schema=app",
				"spring.datasource.hikari.data-source-properties.options=-c lockstep.probe=from-the-app",
				"migrations.url=" + other.url())) {
			assertThat(probe(other, "app")).containsExactly("app", other.user(), other.user(), "from-the-app");
			assertThat(db.tableExists("probe")).isFalse();
		}
	}

	@Test
	void qualifiedMigrationsDataSourceKeepsItsSettings() {
		TestDatabase db = TestDatabases.create();
		db.execute("CREATE SCHEMA app");
		createOwnerRole(db);
		db.execute("GRANT CREATE, USAGE ON SCHEMA app TO owner_role");
		ChangeLogFile changeLog = ChangeLogFile.in(this.dir).write(PROBE);
		try (ConfigurableApplicationContext app = new SpringApplicationBuilder(TestApplication.class,
				QualifiedDataSource.class)
			.web(WebApplicationType.NONE)
			.run("--spring.datasource.url=" + db.url(), "--spring.datasource.username=" + db.user(),
					"--spring.datasource.password=" + db.password(), "--" + changeLog.property())) {
			assertThat(probe(db, "app")).containsExactly("app", "owner_role", db.user(), null);
			assertThat(ownerOf(db, "app", "databasechangelog")).isEqualTo("owner_role");
		}
	}

	private ConfigurableApplicationContext start(TestDatabase db, String... properties) {
		ChangeLogFile changeLog = ChangeLogFile.in(this.dir).write(PROBE);
		String[] all = new String[properties.length + 1];
		all[0] = changeLog.property();
		System.arraycopy(properties, 0, all, 1, properties.length);
		return RunningApp.startInstance(db, all);
	}

	private static void createOwnerRole(TestDatabase db) {
		createRole(db, "owner_role");
		db.execute("GRANT CREATE, USAGE ON SCHEMA public TO owner_role");
	}

	/** Roles belong to the whole server, which the tests of this JVM share. */
	private static void createRole(TestDatabase db, String definition) {
		db.execute("DO $$ BEGIN CREATE ROLE " + definition
				+ "; EXCEPTION WHEN duplicate_object THEN NULL; END $$");
	}

	private static List<String> schemaOf(TestDatabase db, String table) {
		return db.rows("SELECT schemaname FROM pg_tables WHERE tablename = '" + table + "'")
			.stream()
			.map((row) -> row.get(0))
			.toList();
	}

	private static String ownerOf(TestDatabase db, String schema, String table) {
		List<List<String>> rows = db.rows("SELECT tableowner FROM pg_tables WHERE schemaname = '" + schema
				+ "' AND tablename = '" + table + "'");
		assertThat(rows).as("table %s.%s", schema, table).hasSize(1);
		return rows.get(0).get(0);
	}

	/** schema, role, login, custom setting as the applying session saw them. */
	private static List<String> probe(TestDatabase db, String schema) {
		List<List<String>> rows = db
			.rows("SELECT schema_name, role_name, login_name, probe_setting FROM " + schema + ".probe");
		assertThat(rows).as("the probe changeset ran once, in schema %s", schema).hasSize(1);
		return rows.get(0);
	}

	/** A Hikari pool of its own for migrations, with a schema and a role. */
	static class QualifiedDataSource {

		@Bean
		@Primary
		HikariDataSource applicationDataSource(Environment environment) {
			HikariDataSource dataSource = new HikariDataSource();
			dataSource.setJdbcUrl(environment.getProperty("spring.datasource.url"));
			dataSource.setUsername(environment.getProperty("spring.datasource.username"));
			dataSource.setPassword(environment.getProperty("spring.datasource.password"));
			return dataSource;
		}

		@Bean
		@MigrationsDataSource
		DataSource migrationsDataSource(Environment environment) {
			HikariDataSource dataSource = applicationDataSource(environment);
			dataSource.setSchema("app");
			dataSource.setConnectionInitSql("SET ROLE owner_role");
			return dataSource;
		}

	}

}
