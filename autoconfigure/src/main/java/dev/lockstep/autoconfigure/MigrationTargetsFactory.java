package dev.lockstep.autoconfigure;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;

import javax.sql.DataSource;

import liquibase.integration.spring.SpringResourceAccessor;

import org.jspecify.annotations.Nullable;

import org.springframework.beans.factory.ListableBeanFactory;
import org.springframework.core.io.ResourceLoader;

import dev.lockstep.core.MigrationEngine;
import dev.lockstep.core.MigrationMonitor;
import dev.lockstep.core.api.MigrationMode;
import dev.lockstep.core.api.MigrationSettings;
import dev.lockstep.core.problem.MigrationException;
import dev.lockstep.core.targets.MigrationTarget;
import dev.lockstep.core.targets.QueryTenantSource;
import dev.lockstep.core.targets.Tenant;
import dev.lockstep.core.targets.TenantEngines;
import dev.lockstep.core.targets.TenantFleet;
import dev.lockstep.core.targets.TenantSource;

/**
 * Makes the named targets of {@code migrations.targets.*}: each one's DataSource (the bean named after it, else its
 * url, else the default target's database), settings (inheriting the top level), engine or tenant fleet, configured
 * like the default target's engine.
 */
final class MigrationTargetsFactory {

	private final MigrationsProperties properties;

	private final String applicationName;

	private final ResourceLoader resourceLoader;

	private final ListableBeanFactory beans;

	private final @Nullable DataSource qualified;

	private final @Nullable DataSource application;

	private final Consumer<MigrationEngine> configurer;

	private final Map<String, TenantSource> tenantSources = new LinkedHashMap<>();

	/**
	 * @param configurer configures every engine like the default target's (timeouts, drift, lint, wording)
	 */
	MigrationTargetsFactory(MigrationsProperties properties, String applicationName, ResourceLoader resourceLoader,
			ListableBeanFactory beans, @Nullable DataSource qualified, @Nullable DataSource application,
			List<TenantSource> tenantSources, Consumer<MigrationEngine> configurer) {
		this.properties = properties;
		this.applicationName = applicationName;
		this.resourceLoader = resourceLoader;
		this.beans = beans;
		this.qualified = qualified;
		this.application = application;
		this.configurer = configurer;
		for (TenantSource source : tenantSources) {
			if (this.tenantSources.putIfAbsent(source.target(), source) != null) {
				throw new MigrationException("Two TenantSource beans are for target " + source.target() + ".",
						"Keep one TenantSource bean per target.");
			}
		}
	}

	/** The named targets, in the order they are configured. */
	List<MigrationTarget> create() {
		for (String name : this.tenantSources.keySet()) {
			if (!this.properties.getTargets().containsKey(name)) {
				throw new MigrationException("A TenantSource bean lists tenants of target " + name
						+ ", but migrations.targets." + name + " is not configured.", "Configure the target (at least "
						+ "migrations.targets." + name + ".change-log), or return the name of a configured one from "
						+ "TenantSource.target() (configured: " + this.properties.getTargets().keySet() + ").");
			}
		}
		List<MigrationTarget> targets = new ArrayList<>();
		this.properties.getTargets().forEach((name, target) -> targets.add(create(name, target)));
		return targets;
	}

	private MigrationTarget create(String name, MigrationsProperties.Target target) {
		if (MigrationTarget.DEFAULT.equals(name)) {
			throw new MigrationException("migrations.targets.default is reserved: the top-level migrations.* "
					+ "settings are the default target.", "Give the target another name, or set the default "
					+ "target's keys at the top level (migrations.change-log, migrations.url, ...).");
		}
		DataSource own = dataSourceBean(name);
		TargetConnectionDetails details = TargetConnectionDetails.of(this.properties, target, own != null);
		DataSource base = (own != null) ? own : this.application;
		if (base == null && details.getJdbcUrl() == null && this.qualified == null) {
			throw new MigrationException("Target " + name + " has no database.", "Set migrations.targets." + name
					+ ".url, or define a DataSource bean named " + name + "DataSource.");
		}
		DataSource dataSource = MigrationDataSourceFactory.create((own != null) ? null : this.qualified, base,
				details);
		MigrationSettings settings = MigrationSettingsMapper.toSettings(this.properties, target,
				this.applicationName);
		MigrationMode mode = (target.getMode() != null) ? target.getMode() : this.properties.getMode();
		Consumer<MigrationEngine> configure = (engine) -> {
			engine.connectToOtherDatabasesWith(new MigrationsServerDataSources(null, base, details, dataSource));
			this.configurer.accept(engine);
		};
		TenantSource tenants = tenantSource(name, target, dataSource);
		if (tenants == null) {
			MigrationEngine engine = new MigrationEngine(dataSource, new SpringResourceAccessor(this.resourceLoader),
					settings);
			configure.accept(engine);
			MigrationMonitor monitor = new MigrationMonitor(engine, mode, this.properties.getStatus().getCacheTtl());
			engine.addListener(monitor);
			return MigrationTarget.single(name, engine, monitor);
		}
		TenantEngines engines = new TenantEngines(name, dataSource,
				(url) -> MigrationDataSourceFactory.create(null, base,
						new TargetConnectionDetails(url, details.getUsername(), details.getPassword())),
				new SpringResourceAccessor(this.resourceLoader), settings, configure, mode,
				this.properties.getStatus().getCacheTtl());
		TenantFleet fleet = new TenantFleet(tenants, engines, target.getTenants().getOnFailure(),
				this.properties.effectiveParallelism(), this.properties.getStatus().getCacheTtl());
		return MigrationTarget.withTenants(name, mode, fleet);
	}

	private @Nullable TenantSource tenantSource(String name, MigrationsProperties.Target target,
			DataSource dataSource) {
		TenantSource bean = this.tenantSources.get(name);
		MigrationsProperties.Tenants tenants = target.getTenants();
		if (bean != null && tenants.isConfigured()) {
			throw new MigrationException("Target " + name + " lists its tenants twice: in migrations.targets."
					+ name + ".tenants.* and in a TenantSource bean.", "Keep one of them.");
		}
		if (bean != null) {
			return bean;
		}
		if (!tenants.getSchemas().isEmpty() && tenants.getQuery() != null && !tenants.getQuery().isBlank()) {
			throw new MigrationException("Target " + name + " sets both tenants.schemas and tenants.query.",
					"Keep one of migrations.targets." + name + ".tenants.schemas and .tenants.query.");
		}
		if (!tenants.getSchemas().isEmpty()) {
			List<Tenant> listed = tenants.getSchemas().stream().map((schema) -> Tenant.parse(schema, null)).toList();
			return TenantSource.of(name, () -> listed);
		}
		if (tenants.getQuery() != null && !tenants.getQuery().isBlank()) {
			return new QueryTenantSource(name, dataSource, tenants.getQuery());
		}
		return null;
	}

	/** The DataSource bean named after the target ({@code <name>DataSource} or {@code <name>}), if any. */
	private @Nullable DataSource dataSourceBean(String name) {
		for (String beanName : new String[] { name + "DataSource", name }) {
			if (this.beans.containsBean(beanName) && this.beans.isTypeMatch(beanName, DataSource.class)) {
				return this.beans.getBean(beanName, DataSource.class);
			}
		}
		return null;
	}

}
