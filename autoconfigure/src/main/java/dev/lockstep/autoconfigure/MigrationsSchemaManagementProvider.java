package dev.lockstep.autoconfigure;

import javax.sql.DataSource;

import org.jspecify.annotations.Nullable;

import org.springframework.boot.jdbc.SchemaManagement;
import org.springframework.boot.jdbc.SchemaManagementProvider;

/**
 * Tells JPA that Lockstep manages the schema of the DataSource it migrates, so Hibernate does not default to
 * creating it on embedded databases.
 */
class MigrationsSchemaManagementProvider implements SchemaManagementProvider {

	private final @Nullable DataSource applicationDataSource;

	private final @Nullable DataSource migrationDataSource;

	MigrationsSchemaManagementProvider(@Nullable DataSource applicationDataSource,
			@Nullable DataSource migrationDataSource) {
		this.applicationDataSource = applicationDataSource;
		this.migrationDataSource = migrationDataSource;
	}

	@Override
	public SchemaManagement getSchemaManagement(DataSource dataSource) {
		return (dataSource == this.applicationDataSource || dataSource == this.migrationDataSource)
				? SchemaManagement.MANAGED : SchemaManagement.UNMANAGED;
	}

}
