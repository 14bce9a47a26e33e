package dev.lockstep.autoconfigure;

import java.io.IOException;
import java.io.InputStream;
import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import javax.sql.DataSource;

import liquibase.integration.spring.SpringLiquibase;
import liquibase.integration.spring.SpringResourceAccessor;

import com.jayway.jsonpath.JsonPath;
import org.junit.jupiter.api.Test;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.jdbc.autoconfigure.DataSourceAutoConfiguration;
import org.springframework.boot.liquibase.autoconfigure.LiquibaseAutoConfiguration;
import org.springframework.boot.test.context.FilteredClassLoader;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Primary;
import org.springframework.core.Ordered;
import org.springframework.core.env.Environment;
import org.springframework.core.io.DefaultResourceLoader;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.datasource.DriverManagerDataSource;

import dev.lockstep.core.MigrationEngine;
import dev.lockstep.core.api.MigrationMode;
import dev.lockstep.core.api.MigrationRunListener;
import dev.lockstep.core.api.MigrationSettings;
import dev.lockstep.core.api.RunResult;
import dev.lockstep.test.TestDatabase;
import dev.lockstep.test.TestDatabases;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Tests for {@link MigrationsAutoConfiguration}, in the style of Spring Boot's own auto-configuration tests.
 * <p>
 * "A DataSource" is Spring Boot's embedded H2 (a unique database per context), so these contexts also exercise
 * the fallback to Liquibase's own lock; PostgreSQL is used where the test is about which database gets migrated.
 * User configuration classes are plain classes with {@code @Bean} methods (not {@code @Configuration}) so that the
 * {@code @SpringBootApplication} of SmokeTests, in this package, does not component-scan them.
 */
class MigrationsAutoConfigurationTests {

	private final ApplicationContextRunner contextRunner = new ApplicationContextRunner()
		.withConfiguration(AutoConfigurations.of(MigrationsAutoConfiguration.class))
		.withPropertyValues("spring.datasource.generate-unique-name=true");

	@Test
	void backsOffWithoutDataSourceAndWithoutMigrationsUrl() {
		this.contextRunner.run((context) -> assertThat(context).hasNotFailed()
			.doesNotHaveBean(MigrationEngine.class)
			.doesNotHaveBean(MigrationsInitializer.class)
			.doesNotHaveBean(MigrationsProperties.class));
	}

	@Test
	void backsOffWhenDisabled() {
		this.contextRunner.withConfiguration(AutoConfigurations.of(DataSourceAutoConfiguration.class))
			.withPropertyValues("migrations.enabled=false")
			.run((context) -> {
				assertThat(context).hasSingleBean(DataSource.class)
					.doesNotHaveBean(MigrationEngine.class)
					.doesNotHaveBean(MigrationsInitializer.class);
				assertThat(tables(context.getBean(DataSource.class))).doesNotContain("DATABASECHANGELOG");
			});
	}

	@Test
	void backsOffWhenLiquibaseIsNotOnTheClasspath() {
		this.contextRunner.withConfiguration(AutoConfigurations.of(DataSourceAutoConfiguration.class))
			.withClassLoader(new FilteredClassLoader("liquibase."))
			.run((context) -> assertThat(context).hasNotFailed()
				.hasSingleBean(DataSource.class)
				.doesNotHaveBean(MigrationEngine.class)
				.doesNotHaveBean(MigrationsInitializer.class));
	}

	@Test
	void createsEngineAndInitializerThatMigrateTheApplicationsDataSource() {
		this.contextRunner.withConfiguration(AutoConfigurations.of(DataSourceAutoConfiguration.class))
			.run((context) -> {
				assertThat(context).hasSingleBean(MigrationEngine.class)
					.hasSingleBean(MigrationsInitializer.class)
					.hasSingleBean(MigrationsProperties.class)
					.hasSingleBean(MigrationsSchemaManagementProvider.class);
				MigrationsInitializer initializer = context.getBean(MigrationsInitializer.class);
				assertThat(initializer.getMode()).isEqualTo(MigrationMode.APPLY);
				assertThat(initializer.getResult().applied()).isEqualTo(3);
				assertThat(context.getBean(MigrationEngine.class).displayUrl()).startsWith("jdbc:h2:mem:");
				assertThat(new JdbcTemplate(context.getBean(DataSource.class))
					.queryForList("SELECT ID FROM DATABASECHANGELOG ORDER BY ORDEREXECUTED", String.class))
					.containsExactly("1-create-customers", "2-create-orders", "3-add-email");
			});
	}

	@Test
	void migratesMigrationsUrlWhenThereIsNoDataSource() {
		TestDatabase db = TestDatabases.create();
		this.contextRunner
			.withPropertyValues("migrations.url=" + db.url(), "migrations.user=" + db.user(),
					"migrations.password=" + db.password())
			.run((context) -> {
				assertThat(context).doesNotHaveBean(DataSource.class)
					.hasSingleBean(MigrationEngine.class)
					.hasSingleBean(MigrationsInitializer.class);
				assertThat(context.getBean(MigrationEngine.class).displayUrl()).isEqualTo(db.url());
			});
		assertThat(db.count("SELECT count(*) FROM databasechangelog")).isEqualTo(3);
	}

	@Test
	void migratesMigrationsUrlWithItsOwnCredentialsRatherThanTheApplicationsDataSource() {
		TestDatabase db = TestDatabases.create();
		this.contextRunner.withConfiguration(AutoConfigurations.of(DataSourceAutoConfiguration.class))
			.withPropertyValues("migrations.url=" + db.url(), "migrations.user=" + db.user(),
					"migrations.password=" + db.password())
			.run((context) -> {
				assertThat(context).hasSingleBean(MigrationsInitializer.class);
				assertThat(tables(context.getBean(DataSource.class))).doesNotContain("DATABASECHANGELOG");
			});
		assertThat(db.count("SELECT count(*) FROM databasechangelog")).isEqualTo(3);
	}

	@Test
	void userDefinedMigrationEngineWins() {
		this.contextRunner.withConfiguration(AutoConfigurations.of(DataSourceAutoConfiguration.class))
			.withUserConfiguration(UserEngineConfiguration.class)
			.run((context) -> {
				assertThat(context).hasSingleBean(MigrationEngine.class).hasBean("userMigrationEngine");
				assertThat(context.getBean(MigrationEngine.class).settings().changeLog())
					.isEqualTo("classpath:db/v2/changelog.yaml");
				// The initializer runs the user's engine: version 2 of the changelog got applied.
				assertThat(context.getBean(MigrationsInitializer.class).getResult().applied()).isEqualTo(4);
				assertThat(new JdbcTemplate(context.getBean(DataSource.class))
					.queryForObject("SELECT count(*) FROM DATABASECHANGELOG WHERE ID = '4-add-phone'", Integer.class))
					.isOne();
			});
	}

	@Test
	void migratesTheMigrationsDataSourceQualifiedDataSource() {
		TestDatabase db = TestDatabases.create();
		this.contextRunner.withUserConfiguration(TwoDataSourcesConfiguration.class)
			.withPropertyValues("test.migrations-db.url=" + db.url(), "test.migrations-db.user=" + db.user(),
					"test.migrations-db.password=" + db.password())
			.run((context) -> {
				assertThat(context).hasSingleBean(MigrationsInitializer.class);
				assertThat(context.getBean(MigrationEngine.class).displayUrl()).isEqualTo(db.url());
				DataSource application = context.getBean("applicationDataSource", DataSource.class);
				assertThat(tables(application)).doesNotContain("DATABASECHANGELOG", "CUSTOMERS");
			});
		assertThat(db.count("SELECT count(*) FROM databasechangelog")).isEqualTo(3);
		assertThat(db.tableExists("customers")).isTrue();
	}

	@Test
	void springBootsLiquibaseAutoConfigurationBacksOffSoThatOnlyLockstepRuns() {
		this.contextRunner
			.withConfiguration(AutoConfigurations.of(DataSourceAutoConfiguration.class,
					LiquibaseAutoConfiguration.class))
			.run((context) -> {
				assertThat(context).hasSingleBean(SpringLiquibase.class);
				SpringLiquibase liquibase = context.getBean(SpringLiquibase.class);
				assertThat(liquibase).isInstanceOf(HistoryOnlySpringLiquibase.class);
				assertThat(liquibase.getChangeLog()).isEqualTo(MigrationSettings.DEFAULT_CHANGE_LOG);
				assertThat(liquibase.isDropFirst()).isFalse();
				// Lockstep found all three changesets pending: nothing ran before it.
				assertThat(context.getBean(MigrationsInitializer.class).getResult().applied()).isEqualTo(3);
				assertThat(new JdbcTemplate(context.getBean(DataSource.class)).queryForObject(
						"SELECT count(DISTINCT DEPLOYMENT_ID) FROM DATABASECHANGELOG", Integer.class))
					.isOne();
			});
	}

	@Test
	void bindsPropertiesIntoTheEnginesSettings() {
		this.contextRunner.withConfiguration(AutoConfigurations.of(DataSourceAutoConfiguration.class))
			.withPropertyValues("spring.application.name=orders", "migrations.mode=report",
					"migrations.change-log=classpath:db/v2/changelog.yaml", "migrations.contexts=dev, test",
					"migrations.label-filter=eu and !beta", "migrations.default-schema=app",
					"migrations.liquibase-schema=history", "migrations.parameters.table-prefix=app_",
					"migrations.parameters[owner.role]=ddl", "migrations.tag=v1.2.3",
					"migrations.lock.wait-timeout=30s")
			.run((context) -> {
				assertThat(context.getBean(MigrationsInitializer.class).getMode()).isEqualTo(MigrationMode.REPORT);
				MigrationSettings settings = context.getBean(MigrationEngine.class).settings();
				assertThat(settings).isEqualTo(new MigrationSettings("classpath:db/v2/changelog.yaml", "dev,test",
						"eu and !beta", "app", "history", Map.of("table-prefix", "app_", "owner.role", "ddl"),
						"v1.2.3", Duration.ofSeconds(30), "orders"));
				assertThat(settings.historySchema()).isEqualTo("history");
			});
	}

	@Test
	void defaultsAreThoseOfTheProductContract() {
		this.contextRunner.withConfiguration(AutoConfigurations.of(DataSourceAutoConfiguration.class))
			.withPropertyValues("migrations.mode=report")
			.run((context) -> {
				MigrationsProperties properties = context.getBean(MigrationsProperties.class);
				assertThat(properties.isEnabled()).isTrue();
				assertThat(properties.getHealth().getPendingStatus()).isEqualTo("OUT_OF_SERVICE");
				assertThat(properties.getStatus().getCacheTtl()).isEqualTo(Duration.ofSeconds(10));
				assertThat(context.getBean(MigrationEngine.class).settings())
					.isEqualTo(new MigrationSettings("classpath:db/changelog/db.changelog-master.yaml", null, null,
							null, null, Map.of(), null, Duration.ofMinutes(5), "application"));
			});
		this.contextRunner.withConfiguration(AutoConfigurations.of(DataSourceAutoConfiguration.class))
			.run((context) -> assertThat(context.getBean(MigrationsInitializer.class).getMode())
				.isEqualTo(MigrationMode.APPLY));
	}

	@Test
	void modeBindsWhateverItsCase() {
		this.contextRunner.withConfiguration(AutoConfigurations.of(DataSourceAutoConfiguration.class))
			.withPropertyValues("migrations.mode=REPORT")
			.run((context) -> assertThat(context.getBean(MigrationsInitializer.class).getMode())
				.isEqualTo(MigrationMode.REPORT));
	}

	@Test
	void connectionDetailsComeFromTheMigrationsProperties() {
		this.contextRunner.withConfiguration(AutoConfigurations.of(DataSourceAutoConfiguration.class))
			.withPropertyValues("migrations.mode=report", "migrations.url=jdbc:postgresql://db:5432/app",
					"migrations.user=owner", "migrations.password=secret")
			.run((context) -> {
				assertThat(context).hasSingleBean(PropertiesMigrationsConnectionDetails.class);
				MigrationsConnectionDetails details = context.getBean(MigrationsConnectionDetails.class);
				assertThat(details.getJdbcUrl()).isEqualTo("jdbc:postgresql://db:5432/app");
				assertThat(details.getUsername()).isEqualTo("owner");
				assertThat(details.getPassword()).isEqualTo("secret");
				assertThat(details.getDriverClassName()).isEqualTo("org.postgresql.Driver");
			});
		this.contextRunner.withConfiguration(AutoConfigurations.of(DataSourceAutoConfiguration.class))
			.withPropertyValues("migrations.url= ", "migrations.user=")
			.run((context) -> {
				MigrationsConnectionDetails details = context.getBean(MigrationsConnectionDetails.class);
				assertThat(details.getJdbcUrl()).as("blank means not set").isNull();
				assertThat(details.getUsername()).isNull();
				assertThat(details.getDriverClassName()).isNull();
				assertThat(context.getBean(MigrationEngine.class).displayUrl()).startsWith("jdbc:h2:mem:");
			});
	}

	@Test
	void userConnectionDetailsWinOverTheMigrationsProperties() {
		TestDatabase db = TestDatabases.create();
		this.contextRunner.withConfiguration(AutoConfigurations.of(DataSourceAutoConfiguration.class))
			.withBean(MigrationsConnectionDetails.class, () -> connectionDetails(db))
			.withPropertyValues("migrations.url=jdbc:postgresql://nowhere.invalid:5432/app", "migrations.user=x")
			.run((context) -> {
				assertThat(context).hasSingleBean(MigrationsConnectionDetails.class)
					.doesNotHaveBean(PropertiesMigrationsConnectionDetails.class);
				assertThat(context.getBean(MigrationEngine.class).displayUrl()).isEqualTo(db.url());
				assertThat(tables(context.getBean(DataSource.class))).doesNotContain("DATABASECHANGELOG");
			});
		assertThat(db.count("SELECT count(*) FROM databasechangelog")).isEqualTo(3);
	}

	@Test
	void connectionDetailsAloneSwitchLockstepOnWithoutADataSource() {
		TestDatabase db = TestDatabases.create();
		this.contextRunner.withBean(MigrationsConnectionDetails.class, () -> connectionDetails(db))
			.run((context) -> assertThat(context).doesNotHaveBean(DataSource.class)
				.hasSingleBean(MigrationsInitializer.class));
		assertThat(db.count("SELECT count(*) FROM databasechangelog")).isEqualTo(3);
	}

	@Test
	void migrationsDataSourceBeanWinsOverConnectionDetails() {
		TestDatabase qualified = TestDatabases.create();
		TestDatabase detailed = TestDatabases.create();
		this.contextRunner.withUserConfiguration(TwoDataSourcesConfiguration.class)
			.withBean(MigrationsConnectionDetails.class, () -> connectionDetails(detailed))
			.withPropertyValues("test.migrations-db.url=" + qualified.url(),
					"test.migrations-db.user=" + qualified.user(), "test.migrations-db.password=" + qualified.password())
			.run((context) -> assertThat(context.getBean(MigrationEngine.class).displayUrl())
				.isEqualTo(qualified.url()));
		assertThat(qualified.count("SELECT count(*) FROM databasechangelog")).isEqualTo(3);
		assertThat(detailed.tableExists("databasechangelog")).isFalse();
	}

	@Test
	void startupStrategyDecidesWhatRunsAtStartup() {
		List<MigrationMode> asked = new java.util.concurrent.CopyOnWriteArrayList<>();
		this.contextRunner.withConfiguration(AutoConfigurations.of(DataSourceAutoConfiguration.class))
			.withBean(MigrationsStartupStrategy.class, () -> (engine, mode) -> {
				asked.add(mode);
				return engine.run(MigrationMode.REPORT);
			})
			.run((context) -> {
				MigrationsInitializer initializer = context.getBean(MigrationsInitializer.class);
				assertThat(asked).containsExactly(MigrationMode.APPLY);
				assertThat(initializer.getResult().mode()).isEqualTo(MigrationMode.REPORT);
				assertThat(initializer.getResult().applied()).isZero();
				assertThat(tables(context.getBean(DataSource.class))).doesNotContain("CUSTOMERS");
			});
		this.contextRunner.withConfiguration(AutoConfigurations.of(DataSourceAutoConfiguration.class))
			.withBean(MigrationsStartupStrategy.class, () -> (engine, mode) -> null)
			.run((context) -> {
				assertThat(context.getBean(MigrationsInitializer.class).getResult()).isNull();
				assertThat(tables(context.getBean(DataSource.class))).doesNotContain("DATABASECHANGELOG");
			});
	}

	@Test
	void customizersConfigureTheEngineBeforeTheStartupRun() {
		List<String> seen = new java.util.concurrent.CopyOnWriteArrayList<>();
		this.contextRunner.withConfiguration(AutoConfigurations.of(DataSourceAutoConfiguration.class))
			.withBean("second", MigrationEngineCustomizer.class,
					() -> new OrderedCustomizer(2, (engine) -> seen.add("second")))
			.withBean("first", MigrationEngineCustomizer.class,
					() -> new OrderedCustomizer(1, (engine) -> {
						seen.add("first");
						engine.addListener(new MigrationRunListener() {

							@Override
							public void runEnded(RunResult result) {
								seen.add("startup run applied " + result.applied());
							}

						});
					}))
			.run((context) -> assertThat(seen).containsExactly("first", "second", "startup run applied 3"));
	}

	@Test
	void noStartupRunWhileTheApplicationRunsAMigrationsCommand() {
		this.contextRunner.withConfiguration(AutoConfigurations.of(DataSourceAutoConfiguration.class))
			.withPropertyValues("lockstep.command=status")
			.run((context) -> {
				assertThat(context).hasSingleBean(MigrationEngine.class).doesNotHaveBean(MigrationsInitializer.class);
				assertThat(tables(context.getBean(DataSource.class))).doesNotContain("DATABASECHANGELOG");
			});
	}

	@Test
	void configurationMetadataDocumentsEveryPropertyOfTheProductContract() throws IOException {
		String json = generatedMetadata();
		// product.md's property table: name -> default (null where it has none)
		Map<String, Object> contract = new java.util.LinkedHashMap<>();
		contract.put("migrations.enabled", true);
		contract.put("migrations.mode", "apply");
		contract.put("migrations.change-log", "classpath:db/changelog/db.changelog-master.yaml");
		contract.put("migrations.contexts", null);
		contract.put("migrations.label-filter", null);
		contract.put("migrations.default-schema", null);
		contract.put("migrations.liquibase-schema", null);
		contract.put("migrations.parameters", null);
		contract.put("migrations.url", null);
		contract.put("migrations.user", null);
		contract.put("migrations.password", null);
		contract.put("migrations.tag", null);
		contract.put("migrations.lock.wait-timeout", "5m");
		contract.put("migrations.health.pending-status", "OUT_OF_SERVICE");
		contract.put("migrations.status.cache-ttl", "10s");
		contract.put("migrations.show-parameter-values", false);
		contract.put("migrations.status.read-timeout", "10s");
		contract.put("migrations.validate.allow-ahead", true);
		contract.put("migrations.allow-untested-liquibase", false);
		contract.put("migrations.drift.enabled", true);
		contract.put("migrations.drift.interval", "10m");
		contract.put("migrations.drift.health", "UP");
		contract.put("migrations.drift.ignore", null);
		contract.put("migrations.ddl.lock-timeout", "3s");
		contract.put("migrations.ddl.retries", 20);
		contract.put("migrations.lint.fail-on", "never");
		contract.put("migrations.lint.large-table-rows", 100000);
		// Targets and tenants: each migrations.targets.<name>.* key is documented on the map itself.
		contract.put("migrations.parallelism", null);
		contract.put("migrations.targets", null);
		contract.forEach((name, defaultValue) -> {
			List<Map<String, Object>> entries = JsonPath.read(json, "$.properties[?(@.name == '" + name + "')]");
			assertThat(entries).as("metadata for %s", name).hasSize(1);
			Map<String, Object> entry = entries.get(0);
			assertThat((String) entry.get("description")).as("description of %s", name).isNotBlank().endsWith(".");
			if (defaultValue != null) {
				assertThat(entry.get("defaultValue")).as("default of %s", name).isEqualTo(defaultValue);
			}
		});
		List<String> documented = JsonPath.read(json, "$.properties[*].name");
		// The configuration processor also documents the endpoint's own management.endpoint.migrations.* options.
		assertThat(documented.stream().filter((name) -> name.startsWith("migrations.")).toList())
			.as("no undocumented extras")
			.containsExactlyInAnyOrderElementsOf(contract.keySet());
		assertThat(documented).contains("management.endpoint.migrations.access");
	}

	private static String generatedMetadata() throws IOException {
		// target/classes of this module, not another jar's metadata
		URL classes = MigrationsProperties.class.getProtectionDomain().getCodeSource().getLocation();
		try (InputStream in = new URL(classes, "META-INF/spring-configuration-metadata.json").openStream()) {
			return new String(in.readAllBytes(), StandardCharsets.UTF_8);
		}
	}

	private static List<String> tables(DataSource dataSource) {
		return new JdbcTemplate(dataSource).queryForList(
				"SELECT TABLE_NAME FROM INFORMATION_SCHEMA.TABLES WHERE TABLE_SCHEMA = 'PUBLIC'", String.class);
	}

	private static MigrationsConnectionDetails connectionDetails(TestDatabase db) {
		return new MigrationsConnectionDetails() {

			@Override
			public String getJdbcUrl() {
				return db.url();
			}

			@Override
			public String getUsername() {
				return db.user();
			}

			@Override
			public String getPassword() {
				return db.password();
			}

		};
	}

	private record OrderedCustomizer(int order, MigrationEngineCustomizer delegate)
			implements MigrationEngineCustomizer, Ordered {

		@Override
		public void customize(MigrationEngine engine) {
			this.delegate.customize(engine);
		}

		@Override
		public int getOrder() {
			return this.order;
		}

	}

	static class UserEngineConfiguration {

		@Bean
		MigrationEngine userMigrationEngine(DataSource dataSource) {
			return new MigrationEngine(dataSource, new SpringResourceAccessor(new DefaultResourceLoader()),
					MigrationSettings.of("classpath:db/v2/changelog.yaml"));
		}

	}

	static class TwoDataSourcesConfiguration {

		@Bean
		@Primary
		DataSource applicationDataSource() {
			return new DriverManagerDataSource("jdbc:h2:mem:application-" + System.nanoTime() + ";DB_CLOSE_DELAY=-1");
		}

		@Bean
		@MigrationsDataSource
		DataSource migrationsDataSource(Environment environment) {
			return new DriverManagerDataSource(environment.getProperty("test.migrations-db.url"),
					environment.getProperty("test.migrations-db.user"),
					environment.getProperty("test.migrations-db.password"));
		}

	}

}
