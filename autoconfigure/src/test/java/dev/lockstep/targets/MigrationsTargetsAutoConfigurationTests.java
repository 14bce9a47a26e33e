package dev.lockstep.targets;

import java.util.List;

import javax.sql.DataSource;

import org.junit.jupiter.api.Test;

import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.jdbc.autoconfigure.DataSourceAutoConfiguration;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.jdbc.datasource.DriverManagerDataSource;

import dev.lockstep.autoconfigure.MigrationsAutoConfiguration;
import dev.lockstep.core.api.MigrationMode;
import dev.lockstep.core.targets.MigrationTarget;
import dev.lockstep.core.targets.MigrationsRegistry;
import dev.lockstep.core.targets.Tenant;
import dev.lockstep.core.targets.TenantFailureMode;
import dev.lockstep.core.targets.TenantSource;
import dev.lockstep.test.TestDatabase;
import dev.lockstep.test.TestDatabases;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * When targets and tenants are configured, and how each target gets its database and settings: the registry's
 * contents, in report mode (nothing is changed; only what is configured is checked).
 */
class MigrationsTargetsAutoConfigurationTests {

	private static final TestDatabase db = TestDatabases.create();

	private final ApplicationContextRunner contextRunner = new ApplicationContextRunner()
		.withConfiguration(AutoConfigurations.of(DataSourceAutoConfiguration.class, MigrationsAutoConfiguration.class))
		.withPropertyValues("spring.datasource.url=" + db.url(), "spring.datasource.username=" + db.user(),
				"spring.datasource.password=" + db.password(), "migrations.mode=report");

	@Test
	void withoutTargetsTheRegistryHoldsTheDefaultTargetOnly() {
		this.contextRunner.run((context) -> {
			MigrationsRegistry registry = context.getBean(MigrationsRegistry.class);
			assertThat(registry.names()).containsExactly(MigrationTarget.DEFAULT);
			assertThat(registry.target("default").engine()).isSameAs(context.getBean(dev.lockstep.core.MigrationEngine.class));
		});
	}

	@Test
	void namedTargetsInheritTheTopLevelWhereUnset() {
		TestDatabase fresh = TestDatabases.create();
		this.contextRunner
			.withPropertyValues("spring.datasource.url=" + fresh.url(), "migrations.contexts=prod", "migrations.parameters.region=eu",
					"migrations.lock.wait-timeout=7m",
					"migrations.targets.billing.change-log=classpath:db/billing/changelog.yaml",
					"migrations.targets.billing.parameters.currency=EUR",
					"migrations.targets.audit.contexts=audit", "migrations.targets.audit.mode=apply",
					"migrations.targets.audit.change-log=classpath:db/billing/changelog.yaml",
					"migrations.targets.audit.default-schema=public")
			.run((context) -> {
				MigrationsRegistry registry = context.getBean(MigrationsRegistry.class);
				assertThat(registry.names()).containsExactly("default", "billing", "audit");
				var billing = registry.target("billing").engine().settings();
				assertThat(billing.changeLog()).isEqualTo("classpath:db/billing/changelog.yaml");
				assertThat(billing.contexts()).isEqualTo("prod");
				assertThat(billing.parameters()).containsEntry("region", "eu").containsEntry("currency", "EUR");
				assertThat(billing.lockWaitTimeout()).hasMinutes(7);
				assertThat(registry.target("billing").mode()).isEqualTo(MigrationMode.REPORT);
				var audit = registry.target("audit").engine().settings();
				assertThat(audit.contexts()).isEqualTo("audit");
				assertThat(audit.defaultSchema()).isEqualTo("public");
				assertThat(registry.target("audit").mode()).isEqualTo(MigrationMode.APPLY);
				// Its own mode: applied at startup, while the default target (report) changed nothing.
				assertThat(fresh.count("SELECT count(*) FROM databasechangelog")).isEqualTo(1);
			});
	}

	@Test
	void tenantsFromPropertiesWithTheirFailureModeAndParallelism() {
		this.contextRunner
			.withPropertyValues("migrations.parallelism=3",
					"migrations.targets.tenants.change-log=classpath:db/tenants/changelog.yaml",
					"migrations.targets.tenants.tenants.schemas=acme,globex",
					"migrations.targets.tenants.tenants.on-failure=continue")
			.run((context) -> {
				MigrationTarget target = context.getBean(MigrationsRegistry.class).target("tenants");
				assertThat(target.hasTenants()).isTrue();
				assertThat(target.tenants().parallelism()).isEqualTo(3);
				assertThat(target.tenants().onFailure()).isEqualTo(TenantFailureMode.CONTINUE);
				assertThat(target.tenantList()).extracting((tenant) -> tenant.id()).containsExactly("acme", "globex");
				assertThat(target.tenant("acme").engine().settings().defaultSchema()).isEqualTo("acme");
				assertThat(target.tenant("acme").engine().settings().liquibaseSchema()).isEqualTo("acme");
			});
	}

	@Test
	void parallelismDefaultsToFourOrTheNumberOfProcessors() {
		this.contextRunner
			.withPropertyValues("migrations.targets.tenants.tenants.schemas=acme")
			.run((context) -> assertThat(context.getBean(MigrationsRegistry.class).target("tenants").tenants()
				.parallelism()).isEqualTo(Math.min(4, Runtime.getRuntime().availableProcessors())));
	}

	@Test
	void tenantSourceBeanListsTheTenantsOfItsTarget() {
		this.contextRunner.withPropertyValues("migrations.targets.tenants.change-log=classpath:db/tenants/changelog.yaml")
			.withBean(TenantSource.class, () -> TenantSource.of("tenants", () -> List.of(Tenant.schema("initech"))))
			.run((context) -> assertThat(context.getBean(MigrationsRegistry.class).target("tenants").tenantList())
				.extracting((tenant) -> tenant.id())
				.containsExactly("initech"));
	}

	@Test
	void tenantSourceBeanForATargetThatIsNotConfiguredIsAnError() {
		this.contextRunner.withBean(TenantSource.class, () -> TenantSource.of("tenantz", List::of))
			.run((context) -> assertThat(context).hasFailed()
				.getFailure()
				.rootCause()
				.hasMessageContaining("TenantSource bean lists tenants of target tenantz")
				.hasMessageContaining("migrations.targets.tenantz is not configured"));
	}

	@Test
	void tenantsListedTwiceIsAnError() {
		this.contextRunner.withPropertyValues("migrations.targets.tenants.tenants.schemas=acme")
			.withBean(TenantSource.class, () -> TenantSource.of("tenants", List::of))
			.run((context) -> assertThat(context).hasFailed()
				.getFailure()
				.rootCause()
				.hasMessageContaining("Target tenants lists its tenants twice"));
	}

	@Test
	void aTargetNamedDefaultIsAnError() {
		this.contextRunner.withPropertyValues("migrations.targets.default.change-log=classpath:db/billing/changelog.yaml")
			.run((context) -> assertThat(context).hasFailed()
				.getFailure()
				.rootCause()
				.hasMessageContaining("migrations.targets.default is reserved"));
	}

	@Test
	void aDataSourceBeanNamedAfterTheTargetIsItsDatabase() {
		TestDatabase billing = TestDatabases.create();
		this.contextRunner
			.withPropertyValues("migrations.targets.billing.change-log=classpath:db/billing/changelog.yaml")
			.withBean("billingDataSource", DataSource.class,
					() -> new DriverManagerDataSource(billing.url(), billing.user(), billing.password()),
					(definition) -> definition.setAutowireCandidate(false))
			.run((context) -> {
				MigrationsRegistry registry = context.getBean(MigrationsRegistry.class);
				assertThat(registry.target("billing").engine().displayUrl()).contains(billing.name());
				assertThat(registry.target("billing").engine().status().database().url()).contains(billing.name());
				assertThat(registry.target("default").engine().status().database().url()).contains(db.name());
			});
	}

}
