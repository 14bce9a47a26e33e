package dev.lockstep.autoconfigure;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import javax.sql.DataSource;

import com.jayway.jsonpath.JsonPath;
import jakarta.annotation.PostConstruct;
import jakarta.persistence.EntityManager;
import jakarta.persistence.EntityManagerFactory;
import liquibase.integration.spring.SpringLiquibase;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.WebApplicationType;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.boot.sql.init.dependency.DependsOnDatabaseInitialization;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.annotation.Bean;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.jdbc.datasource.DriverManagerDataSource;

import dev.lockstep.autoconfigure.jpa.Customer;
import dev.lockstep.autoconfigure.jpa.JpaApp;
import dev.lockstep.test.TestDatabase;
import dev.lockstep.test.TestDatabases;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Everything that uses the database at startup waits for the migration; Spring Boot's own Liquibase support stays
 * out of the way.
 */
@ExtendWith(OutputCaptureExtension.class)
class MigrationsOrderingTests {

	private static final String CUSTOMER_COLUMNS = "SELECT column_name FROM information_schema.columns "
			+ "WHERE table_name = 'customers' ORDER BY ordinal_position";

	@Test
	void beansUsingTheDatabaseWhileTheyAreCreatedSeeTheMigratedSchema() {
		TestDatabase db = TestDatabases.create();
		try (ConfigurableApplicationContext context = TestApps.application(StartupReadersApp.class)
			.run(TestApps.arguments(db, true))) {
			List<String> all = List.of("id", "name", "email");
			assertThat(context.getBean(JdbcTemplateConstructorReader.class).columns).isEqualTo(all);
			assertThat(context.getBean(JdbcClientPostConstructReader.class).columns).isEqualTo(all);
		}
	}

	@Test
	void dependsOnDatabaseInitializationBeanIsCreatedAfterTheMigration() {
		TestDatabase db = TestDatabases.create();
		try (ConfigurableApplicationContext context = TestApps.application(DependsOnDatabaseInitializationApp.class)
			.run(TestApps.arguments(db, true))) {
			assertThat(context.getBean(DependsOnDatabaseInitializationReader.class).columns)
				.isEqualTo(List.of("id", "name", "email"));
		}
	}

	@Test
	void jpaApplicationStartsOnTheMigratedSchemaAndHibernateCreatesNothing() {
		TestDatabase db = TestDatabases.create();
		try (ConfigurableApplicationContext context = runJpa(db)) {
			EntityManagerFactory entityManagerFactory = context.getBean(EntityManagerFactory.class);
			persist(entityManagerFactory, new Customer("Ada", "ada@example.com"));
			assertThat(db.rows("SELECT name, email FROM customers")).containsExactly(List.of("Ada", "ada@example.com"));
		}
		// Only what the changelog created (and the run's own records): no Hibernate-made tables or sequences,
		// column types as in the changelog.
		assertThat(db.rows("SELECT table_name FROM information_schema.tables WHERE table_schema = 'public' "
				+ "ORDER BY table_name"))
			.containsExactly(List.of("customers"), List.of("databasechangelog"), List.of("databasechangeloglock"),
					List.of("lockstep_last_run"), List.of("lockstep_schema_record"), List.of("lockstep_verified"),
					List.of("orders"));
		assertThat(db.count("SELECT count(*) FROM information_schema.sequences WHERE sequence_schema = 'public'"))
			.isZero();
		assertThat(db.count("SELECT count(*) FROM information_schema.table_constraints "
				+ "WHERE constraint_name = 'fk_orders_customer'")).isOne();
	}

	@Test
	void jpaApplicationWithDdlAutoValidateStarts() {
		TestDatabase db = TestDatabases.create();
		try (ConfigurableApplicationContext context = runJpa(db,
				"spring.jpa.hibernate.ddl-auto=validate")) {
			persist(context.getBean(EntityManagerFactory.class), new Customer("Grace", null));
		}
		assertThat(db.count("SELECT count(*) FROM customers")).isOne();
	}

	@Test
	void hibernateDoesNotCreateTheSchemaOfAnEmbeddedDatabaseEither() {
		// On an embedded database Spring Boot's default ddl-auto is create-drop, unless something manages the schema.
		String url = "jdbc:h2:mem:jpa-" + System.nanoTime() + ";DB_CLOSE_DELAY=-1";
		try (ConfigurableApplicationContext context = TestApps.application(JpaApp.class)
			.run("--spring.datasource.url=" + url)) {
			DataSource dataSource = context.getBean(DataSource.class);
			assertThat(emailColumnLength(dataSource)).as("the changelog's varchar(320)").isEqualTo(320);
			assertThat(new JdbcTemplate(dataSource).queryForObject("SELECT count(*) FROM "
					+ "INFORMATION_SCHEMA.TABLE_CONSTRAINTS WHERE CONSTRAINT_NAME = 'FK_ORDERS_CUSTOMER'", Integer.class))
				.as("the changelog's foreign key, dropped by a Hibernate-made customers table")
				.isOne();
			context.close();
			// create-drop would have dropped the tables on close
			assertThat(new JdbcTemplate(new DriverManagerDataSource(url, "sa", "")).queryForObject(
					"SELECT count(*) FROM INFORMATION_SCHEMA.TABLES WHERE TABLE_NAME = 'CUSTOMERS'", Integer.class))
				.isOne();
		}
	}

	@Test
	void withSpringBootsLiquibaseAlsoPresentExactlyOneRunHappensAndActuatorLiquibaseListsTheHistory(
			CapturedOutput output) throws Exception {
		TestDatabase db = TestDatabases.create();
		SpringApplication application = TestApps.application();
		application.setWebApplicationType(WebApplicationType.SERVLET);
		try (ConfigurableApplicationContext context = application.run(TestApps.arguments(db, true, "server.port=0",
				"management.endpoints.web.exposure.include=liquibase"))) {
			// Spring Boot's LiquibaseAutoConfiguration is on the classpath, but its SpringLiquibase is not there.
			Map<String, SpringLiquibase> liquibaseBeans = context.getBeansOfType(SpringLiquibase.class);
			assertThat(liquibaseBeans).hasSize(1);
			assertThat(liquibaseBeans.values().iterator().next()).isInstanceOf(HistoryOnlySpringLiquibase.class);
			// Lockstep's run found all three pending: nothing ran before it.
			assertThat(context.getBean(MigrationsInitializer.class).getResult().applied()).isEqualTo(3);

			String port = context.getEnvironment().getProperty("local.server.port");
			HttpResponse<String> response = HttpClient.newHttpClient()
				.send(HttpRequest.newBuilder(URI.create("http://localhost:" + port + "/actuator/liquibase"))
					.timeout(Duration.ofSeconds(30))
					.build(), HttpResponse.BodyHandlers.ofString());
			assertThat(response.statusCode()).isEqualTo(200);
			List<String> ids = JsonPath.read(response.body(), "$.contexts.*.liquibaseBeans.*.changeSets[*].id");
			assertThat(ids).containsExactly("1-create-customers", "2-create-orders", "3-add-email");
			List<String> deployments = JsonPath.read(response.body(),
					"$.contexts.*.liquibaseBeans.*.changeSets[*].deploymentId");
			assertThat(deployments).hasSize(3).containsOnly(deployments.get(0));
		}
		assertThat(db.rows("SELECT id, count(*) FROM databasechangelog GROUP BY id ORDER BY id")).containsExactly(
				List.of("1-create-customers", "1"), List.of("2-create-orders", "1"), List.of("3-add-email", "1"));
		assertThat(db.count("SELECT count(DISTINCT deployment_id) FROM databasechangelog")).isOne();
		assertThat(output.getAll().split("Applied 3 changeset\\(s\\)", -1)).as("one run logged").hasSize(2);
	}

	private static void persist(EntityManagerFactory entityManagerFactory, Object entity) {
		try (EntityManager entityManager = entityManagerFactory.createEntityManager()) {
			entityManager.getTransaction().begin();
			entityManager.persist(entity);
			entityManager.getTransaction().commit();
		}
	}

	private static int emailColumnLength(DataSource dataSource) {
		return new JdbcTemplate(dataSource).queryForObject("SELECT CHARACTER_MAXIMUM_LENGTH FROM "
				+ "INFORMATION_SCHEMA.COLUMNS WHERE TABLE_NAME = 'CUSTOMERS' AND COLUMN_NAME = 'EMAIL'", Integer.class);
	}

	/** Starts a JPA application (Hibernate included) on a test database. */
	private static ConfigurableApplicationContext runJpa(TestDatabase db, String... properties) {
		return TestApps.application(JpaApp.class).run(TestApps.arguments(db, false, properties));
	}

	/**
	 * Beans that read the database while they are being created. They are user beans, so without ordering they
	 * would be created before any auto-configured bean, the migration included, and see no table.
	 */
	@EnableAutoConfiguration
	static class StartupReadersApp {

		@Bean
		JdbcTemplateConstructorReader jdbcTemplateConstructorReader(JdbcTemplate jdbcTemplate) {
			return new JdbcTemplateConstructorReader(jdbcTemplate);
		}

		@Bean
		JdbcClientPostConstructReader jdbcClientPostConstructReader(JdbcClient jdbcClient) {
			return new JdbcClientPostConstructReader(jdbcClient);
		}

	}

	/** Its only bean needs nothing that waits for the migration by itself: just the DataSource. */
	@EnableAutoConfiguration
	static class DependsOnDatabaseInitializationApp {

		@Bean
		@DependsOnDatabaseInitialization
		DependsOnDatabaseInitializationReader dependsOnDatabaseInitializationReader(DataSource dataSource) {
			return new DependsOnDatabaseInitializationReader(dataSource);
		}

	}

	static class JdbcTemplateConstructorReader {

		final List<String> columns;

		JdbcTemplateConstructorReader(JdbcTemplate jdbcTemplate) {
			this.columns = jdbcTemplate.queryForList(CUSTOMER_COLUMNS, String.class);
		}

	}

	static class JdbcClientPostConstructReader {

		private final JdbcClient jdbcClient;

		List<String> columns;

		JdbcClientPostConstructReader(JdbcClient jdbcClient) {
			this.jdbcClient = jdbcClient;
		}

		@PostConstruct
		void read() {
			this.columns = this.jdbcClient.sql(CUSTOMER_COLUMNS).query(String.class).list();
		}

	}

	/** Depends on nothing but the DataSource, which does not wait for the migration by itself. */
	static class DependsOnDatabaseInitializationReader {

		final List<String> columns;

		DependsOnDatabaseInitializationReader(DataSource dataSource) {
			this.columns = new JdbcTemplate(dataSource).queryForList(CUSTOMER_COLUMNS, String.class);
		}

	}

}
