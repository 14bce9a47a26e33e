package dev.lockstep.autoconfigure;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import org.springframework.boot.health.contributor.AbstractHealthIndicator;
import org.springframework.boot.health.contributor.CompositeHealthContributor;
import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.HealthContributors;
import org.springframework.boot.health.contributor.HealthIndicator;
import org.springframework.boot.health.contributor.Status;
import org.springframework.boot.test.context.FilteredClassLoader;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;

import dev.lockstep.core.MigrationMonitor;
import dev.lockstep.health.MigrationsHealthContributor;
import dev.lockstep.health.MigrationsHealthIndicator;
import dev.lockstep.test.ContextRunners;
import dev.lockstep.test.TestDatabase;
import dev.lockstep.test.TestDatabases;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Tests for {@link MigrationsHealthAutoConfiguration}: the {@code migrations} health contributor.
 */
class MigrationsHealthAutoConfigurationTests {

	private static TestDatabase db;

	@BeforeAll
	static void database() {
		db = TestDatabases.create();
	}

	private ApplicationContextRunner runner() {
		return ContextRunners.onTheEngine(db, MigrationsHealthAutoConfiguration.class);
	}

	@Test
	void healthContributorWithTheConfiguredPendingStatus() {
		runner().withPropertyValues("migrations.health.pending-status=DEGRADED").run((context) -> {
			assertThat(context).hasSingleBean(MigrationMonitor.class).hasBean("migrationsHealthIndicator");
			assertThat(context.getBean("migrationsHealthIndicator")).isInstanceOf(MigrationsHealthIndicator.class);
			Health health = context.getBean("migrationsHealthIndicator", HealthIndicator.class).health();
			// Report mode left the changelog pending.
			assertThat(health.getStatus()).isEqualTo(new Status("DEGRADED"));
			assertThat(health.getDetails()).containsEntry("state", "PENDING");
		});
	}

	@Test
	void noHealthContributorWhenItsSwitchIsOff() {
		runner().withPropertyValues("management.health.migrations.enabled=false")
			.run((context) -> assertThat(context).hasSingleBean(MigrationMonitor.class)
				.doesNotHaveBean("migrationsHealthIndicator"));
	}

	@Test
	void noHealthContributorWithoutSpringBootHealth() {
		runner().withClassLoader(new FilteredClassLoader(AbstractHealthIndicator.class))
			.run((context) -> assertThat(context).hasNotFailed()
				.hasSingleBean(MigrationMonitor.class)
				.doesNotHaveBean("migrationsHealthIndicator"));
	}

	@Test
	void noHealthContributorWhenMigrationsAreDisabled() {
		runner().withPropertyValues("migrations.enabled=false")
			.run((context) -> assertThat(context).doesNotHaveBean("migrationsHealthIndicator"));
	}

	@Test
	void withNamedTargetsOneCompositeContributorWithAComponentPerTarget() {
		TestDatabase billing = TestDatabases.create();
		runner().withPropertyValues("migrations.targets.billing.url=" + billing.url(),
				"migrations.targets.billing.change-log=classpath:db/billing/changelog.yaml",
				"migrations.targets.billing.health.pending-status=DEGRADED")
			.run((context) -> {
				assertThat(context).doesNotHaveBean("migrationsHealthIndicator")
					.hasSingleBean(MigrationsHealthContributor.class);
				CompositeHealthContributor migrations = context.getBean("migrationsHealthContributor",
						CompositeHealthContributor.class);
				assertThat(migrations.stream().map(HealthContributors.Entry::name)).containsExactly("default",
						"billing");
				// Report mode left both pending: each maps it to its own pending status.
				Health defaultTarget = ((HealthIndicator) migrations.getContributor("default")).health();
				assertThat(defaultTarget.getStatus()).isEqualTo(Status.OUT_OF_SERVICE);
				Health billingTarget = ((HealthIndicator) migrations.getContributor("billing")).health();
				assertThat(billingTarget.getStatus()).isEqualTo(new Status("DEGRADED"));
				assertThat(billingTarget.getDetails()).containsEntry("state", "PENDING").containsEntry("pending", 1);
			});
	}

	@Test
	void userDefinedContributorNamedMigrationsWinsOverTheTargets() {
		HealthIndicator own = () -> Health.up().withDetail("own", true).build();
		TestDatabase billing = TestDatabases.create();
		runner().withPropertyValues("migrations.targets.billing.url=" + billing.url(),
				"migrations.targets.billing.change-log=classpath:db/billing/changelog.yaml")
			.withBean("migrationsHealthIndicator", HealthIndicator.class, () -> own)
			.run((context) -> assertThat(context).doesNotHaveBean(MigrationsHealthContributor.class)
				.doesNotHaveBean(MigrationsHealthIndicator.class)
				.getBean("migrationsHealthIndicator")
				.isSameAs(own));
	}

	@Test
	void userDefinedContributorNamedMigrationsWins() {
		HealthIndicator own = () -> Health.up().withDetail("own", true).build();
		runner().withBean("migrationsHealthIndicator", HealthIndicator.class, () -> own)
			.run((context) -> assertThat(context).doesNotHaveBean(MigrationsHealthIndicator.class)
				.getBean("migrationsHealthIndicator")
				.isSameAs(own));
	}

}
