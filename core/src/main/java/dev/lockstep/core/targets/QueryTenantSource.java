package dev.lockstep.core.targets;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;

import javax.sql.DataSource;

import dev.lockstep.core.problem.MigrationException;

/**
 * The tenants a query returns ({@code tenants.query}): one row each, a schema name or a JDBC URL in the first
 * column, optionally the tenant's id in the second. Run on the target's database each time the tenants are listed.
 */
public final class QueryTenantSource implements TenantSource {

	private final String target;

	private final DataSource dataSource;

	private final String query;

	public QueryTenantSource(String target, DataSource dataSource, String query) {
		this.target = target;
		this.dataSource = dataSource;
		this.query = query;
	}

	@Override
	public String target() {
		return this.target;
	}

	@Override
	public List<Tenant> tenants() {
		try (Connection connection = this.dataSource.getConnection();
				Statement statement = connection.createStatement();
				ResultSet rows = statement.executeQuery(this.query)) {
			boolean withId = rows.getMetaData().getColumnCount() >= 2;
			List<Tenant> tenants = new ArrayList<>();
			while (rows.next()) {
				String value = rows.getString(1);
				if (value == null || value.isBlank()) {
					continue;
				}
				tenants.add(Tenant.parse(value, withId ? rows.getString(2) : null));
			}
			return tenants;
		}
		catch (SQLException ex) {
			throw new MigrationException("The tenant query of target " + this.target + " failed: " + ex.getMessage(),
					"Fix migrations.targets." + this.target + ".tenants.query: it must return one row per tenant, a "
							+ "schema name or a JDBC URL first, optionally the tenant's id second.",
					ex);
		}
	}

}
