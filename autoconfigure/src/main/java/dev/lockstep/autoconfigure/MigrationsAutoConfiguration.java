package dev.lockstep.autoconfigure;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;

import javax.sql.DataSource;

import liquibase.change.DatabaseChange;
import liquibase.integration.spring.SpringLiquibase;
import liquibase.integration.spring.SpringResourceAccessor;

import org.springframework.beans.factory.ListableBeanFactory;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.AnyNestedCondition;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBooleanProperty;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.jdbc.autoconfigure.DataSourceAutoConfiguration;
import org.springframework.boot.sql.init.dependency.DatabaseInitializationDependencyConfigurer;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Conditional;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.annotation.Import;
import org.springframework.core.env.Environment;
import org.springframework.core.io.ResourceLoader;

import dev.lockstep.command.MigrationsWording;
import dev.lockstep.core.MigrationEngine;
import dev.lockstep.core.MigrationMonitor;
import dev.lockstep.core.compat.LiquibaseVersionGuard;
import dev.lockstep.core.targets.MigrationTarget;
import dev.lockstep.core.targets.MigrationsRegistry;
import dev.lockstep.core.targets.TenantSource;

/**
 * Auto-configuration for Lockstep: runs the Liquibase changelog at startup under a lock that cannot go stale, in
 * the mode the environment asks for (or as a {@link MigrationsStartupStrategy} bean decides). The database is the
 * {@link MigrationsDataSource @MigrationsDataSource} bean, else the one the {@link MigrationsConnectionDetails}
 * name, else the application's DataSource. A {@code migrations <command>} run does not migrate at startup
 * ({@link MigrationsCommandAutoConfiguration} runs the command instead).
 */
@AutoConfiguration(after = DataSourceAutoConfiguration.class,
		beforeName = "org.springframework.boot.liquibase.autoconfigure.LiquibaseAutoConfiguration")
@ConditionalOnClass({ SpringLiquibase.class, DatabaseChange.class })
@ConditionalOnBooleanProperty(name = "migrations.enabled", matchIfMissing = true)
@Conditional(MigrationsAutoConfiguration.MigrationsDataSourceCondition.class)
@EnableConfigurationProperties(MigrationsProperties.class)
@Import(DatabaseInitializationDependencyConfigurer.class)
public final class MigrationsAutoConfiguration {

	@Bean
	@ConditionalOnMissingBean(MigrationsConnectionDetails.class)
	PropertiesMigrationsConnectionDetails migrationsConnectionDetails(MigrationsProperties properties) {
		return new PropertiesMigrationsConnectionDetails(properties);
	}

	@Bean
	@ConditionalOnMissingBean
	MigrationEngine migrationEngine(ObjectProvider<DataSource> dataSource,
			@MigrationsDataSource ObjectProvider<DataSource> migrationsDataSource,
			MigrationsConnectionDetails connectionDetails, MigrationsProperties properties,
			ObjectProvider<MigrationEngineCustomizer> customizers, ResourceLoader resourceLoader,
			Environment environment) {
		LiquibaseVersionGuard.check(properties.isAllowUntestedLiquibase());
		DataSource migrationDataSource = MigrationDataSourceFactory.create(migrationsDataSource.getIfAvailable(),
				dataSource.getIfUnique(), connectionDetails);
		String applicationName = environment.getProperty("spring.application.name", "application");
		MigrationEngine engine = new MigrationEngine(migrationDataSource, new SpringResourceAccessor(resourceLoader),
				MigrationSettingsMapper.toSettings(properties, applicationName));
		engine.connectToOtherDatabasesWith(new MigrationsServerDataSources(migrationsDataSource.getIfAvailable(),
				dataSource.getIfUnique(), connectionDetails, migrationDataSource));
		configurer(properties, customizers).accept(engine);
		return engine;
	}

	/** What every engine gets, the default target's and each named target's (and tenant's). */
	static Consumer<MigrationEngine> configurer(MigrationsProperties properties,
			ObjectProvider<MigrationEngineCustomizer> customizers) {
		return (engine) -> {
			engine.cancelWaitsWhen(ShutdownAwareRun::isShuttingDown);
			engine.showParameterValues(properties.isShowParameterValues());
			engine.limitStatusReads(properties.getStatus().getReadTimeout());
			engine.allowAheadInValidate(properties.getValidate().isAllowAhead());
			engine.phraseWith(MigrationsWording.INSTANCE);
			engine.configureDrift(properties.getDrift().isEnabled(), properties.getDrift().getIgnore());
			engine.configureDdl(MigrationSettingsMapper.toDdlSettings(properties));
			engine.configureLint(properties.getLint().getLargeTableRows(), properties.getLint().getFailOn());
			customizers.orderedStream().forEach((customizer) -> customizer.customize(engine));
		};
	}

	/**
	 * Every target: the default one (the top-level settings) and the named ones of {@code migrations.targets.*}.
	 */
	@Bean
	@ConditionalOnMissingBean
	MigrationsRegistry migrationsRegistry(MigrationEngine migrationEngine, MigrationMonitor migrationMonitor,
			MigrationsProperties properties, ObjectProvider<DataSource> dataSource,
			@MigrationsDataSource ObjectProvider<DataSource> migrationsDataSource,
			ObjectProvider<TenantSource> tenantSources, ObjectProvider<MigrationEngineCustomizer> customizers,
			ResourceLoader resourceLoader, ListableBeanFactory beanFactory, Environment environment) {
		List<MigrationTarget> targets = new ArrayList<>();
		targets.add(MigrationTarget.single(MigrationTarget.DEFAULT, migrationEngine, migrationMonitor));
		if (!properties.getTargets().isEmpty() || tenantSources.iterator().hasNext()) {
			MigrationTargetsFactory factory = new MigrationTargetsFactory(properties,
					environment.getProperty("spring.application.name", "application"), resourceLoader, beanFactory,
					migrationsDataSource.getIfAvailable(), dataSource.getIfUnique(),
					tenantSources.orderedStream().toList(), configurer(properties, customizers));
			targets.addAll(factory.create());
		}
		MigrationsRegistry registry = new MigrationsRegistry(targets);
		registry.targets().stream().filter(MigrationTarget::hasTenants)
			.forEach((target) -> target.tenants().phraseWith(MigrationsWording.INSTANCE));
		return registry;
	}

	@Bean
	@ConditionalOnMissingBean
	MigrationMonitor migrationMonitor(MigrationEngine migrationEngine, MigrationsProperties properties) {
		MigrationMonitor monitor = new MigrationMonitor(migrationEngine, properties.getMode(),
				properties.getStatus().getCacheTtl());
		migrationEngine.addListener(monitor);
		monitor.describeDriftWith("see /actuator/migrations/drift or run migrations diff");
		return monitor;
	}

	@Bean
	@ConditionalOnMissingBean
	@Conditional(OnNoMigrationsCommandCondition.class)
	MigrationsInitializer migrationsInitializer(MigrationEngine migrationEngine, MigrationMonitor migrationMonitor,
			MigrationsRegistry migrationsRegistry, MigrationsProperties properties,
			ObjectProvider<MigrationsStartupStrategy> startupStrategy) {
		// The monitor is created first so that it sees the startup run; drift is checked right after it (switched
		// off, the check says DISABLED, so that the endpoint says so from the start).
		MigrationsInitializer initializer = new MigrationsInitializer(migrationEngine, properties.getMode(),
				startupStrategy.getIfAvailable(), migrationMonitor::checkDrift);
		initializer.alsoRun(migrationsRegistry.targets().stream()
			.filter((target) -> !MigrationTarget.DEFAULT.equals(target.name()))
			.toList());
		return initializer;
	}

	@Bean
	@ConditionalOnBean(DataSource.class)
	MigrationsSchemaManagementProvider migrationsSchemaManagementProvider(ObjectProvider<DataSource> dataSource,
			@MigrationsDataSource ObjectProvider<DataSource> migrationsDataSource) {
		return new MigrationsSchemaManagementProvider(dataSource.getIfUnique(), migrationsDataSource.getIfAvailable());
	}

	/**
	 * With Spring Boot's Liquibase auto-configuration on the classpath too, exactly one run happens: Lockstep's.
	 */
	@Configuration(proxyBeanMethods = false)
	@ConditionalOnClass(name = "org.springframework.boot.liquibase.autoconfigure.LiquibaseAutoConfiguration")
	static class SpringBootLiquibaseCoexistenceConfiguration {

		@Bean
		@ConditionalOnMissingBean(SpringLiquibase.class)
		HistoryOnlySpringLiquibase historyOnlySpringLiquibase(ObjectProvider<DataSource> dataSource,
				@MigrationsDataSource ObjectProvider<DataSource> migrationsDataSource,
				MigrationsConnectionDetails connectionDetails, MigrationsProperties properties) {
			HistoryOnlySpringLiquibase liquibase = new HistoryOnlySpringLiquibase();
			liquibase.setDataSource(MigrationDataSourceFactory.create(migrationsDataSource.getIfAvailable(),
					dataSource.getIfUnique(), connectionDetails));
			liquibase.setChangeLog(properties.getChangeLog());
			liquibase.setDefaultSchema(properties.getDefaultSchema());
			liquibase.setLiquibaseSchema(properties.getLiquibaseSchema());
			liquibase.setShouldRun(false);
			return liquibase;
		}

	}

	static final class MigrationsDataSourceCondition extends AnyNestedCondition {

		MigrationsDataSourceCondition() {
			super(ConfigurationPhase.REGISTER_BEAN);
		}

		@ConditionalOnBean(DataSource.class)
		private static final class DataSourceBeanCondition {

		}

		@ConditionalOnBean(MigrationsConnectionDetails.class)
		private static final class MigrationsConnectionDetailsCondition {

		}

		@ConditionalOnProperty("migrations.url")
		private static final class MigrationsUrlCondition {

		}

	}

}
