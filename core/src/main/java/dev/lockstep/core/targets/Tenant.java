package dev.lockstep.core.targets;

import java.util.Objects;

import org.jspecify.annotations.Nullable;

import dev.lockstep.core.jdbc.JdbcUrls;

/**
 * One tenant of a target: a schema of the target's database (schema per tenant), or a database of its own (database
 * per tenant, by JDBC URL, with the target's credentials).
 *
 * @param id how the tenant is named in commands, the endpoint and logs
 * @param schema the tenant's schema, or {@code null} for a database tenant
 * @param jdbcUrl the tenant's database, or {@code null} for a schema tenant
 */
public record Tenant(String id, @Nullable String schema, @Nullable String jdbcUrl) {

	public Tenant {
		Objects.requireNonNull(id, "id");
		if (id.isBlank()) {
			throw new IllegalArgumentException("A tenant id must not be blank");
		}
		if ((schema == null) == (jdbcUrl == null)) {
			throw new IllegalArgumentException("Tenant " + id + " needs either a schema or a JDBC URL");
		}
	}

	/** A schema of the target's database, named by the schema. */
	public static Tenant schema(String schema) {
		return new Tenant(schema, schema, null);
	}

	/** A database of its own. */
	public static Tenant database(String id, String jdbcUrl) {
		return new Tenant(id, null, jdbcUrl);
	}

	/**
	 * A tenant from one value of {@code tenants.schemas} or one row of {@code tenants.query}: a JDBC URL (the tenant
	 * is named after its database) or a schema name.
	 * @param value a schema name or a {@code jdbc:} URL
	 * @param id the tenant's name, or {@code null} to derive it from the value
	 */
	public static Tenant parse(String value, @Nullable String id) {
		String trimmed = value.trim();
		if (trimmed.regionMatches(true, 0, "jdbc:", 0, 5)) {
			String name = (id != null && !id.isBlank()) ? id.trim() : JdbcUrls.databaseName(trimmed);
			return database(name, trimmed);
		}
		return new Tenant((id != null && !id.isBlank()) ? id.trim() : trimmed, trimmed, null);
	}

	public boolean isDatabase() {
		return this.jdbcUrl != null;
	}

}
