package dev.lockstep.core.changelog;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import liquibase.changelog.ChangeLogParameters;
import liquibase.changelog.DatabaseChangeLog;
import liquibase.database.Database;

/**
 * Liquibase's changelog parameters, remembering every value that came from outside the changelog (the configured
 * {@code migrations.parameters.*}, a system property or an environment variable) as Liquibase substitutes it for a
 * {@code ${name}}: those values may be secrets, and {@link ParameterMasker} hides them in the SQL that is shown.
 * <p>
 * Every expansion (while parsing, and later for an {@code sqlFile}) looks the value up through
 * {@link #getValue(String, DatabaseChangeLog)}, so nothing is substituted unseen. Properties that the changelog
 * declares itself and Liquibase's own {@code database.*} values are not remembered: they are in the sources anyway.
 */
final class SubstitutedParameters extends ChangeLogParameters {

	/**
	 * Liquibase's {@code database.*} values that depend on the schema a parse was made for (the others, such as
	 * {@code database.typeName}, which Liquibase itself reads for {@code dbms} filters, are the same on every schema
	 * of a database).
	 */
	private static final java.util.Set<String> SCHEMA_PARAMETERS = java.util.Set.of("database.defaultschemaname",
			"database.defaultcatalogname", "database.defaultschemanameprefix", "database.liquibaseschemaname",
			"database.liquibasecatalogname");

	private final Map<String, String> configured;

	private final Map<String, String> substituted = new ConcurrentHashMap<>();

	/** Whether a {@code ${database.*}} value was expanded: the parse then belongs to this database alone. */
	private volatile boolean databaseParameterUsed;

	SubstitutedParameters(Database database, Map<String, String> configured) {
		super(database);
		this.configured = Map.copyOf(configured);
		configured.forEach(this::set);
	}

	@Override
	public Object getValue(String key, DatabaseChangeLog changeLog) {
		Object value = super.getValue(key, changeLog);
		if (key != null && SCHEMA_PARAMETERS.contains(key.toLowerCase(java.util.Locale.ROOT))) {
			this.databaseParameterUsed = true;
		}
		if (value != null && key != null && isFromOutside(key, value)) {
			this.substituted.put(key, String.valueOf(value));
		}
		return value;
	}

	/** Whether a schema-dependent {@code ${database.*}} value (the default or history schema) was expanded so far. */
	boolean databaseParameterUsed() {
		return this.databaseParameterUsed;
	}

	/** The values substituted so far from outside the changelog, by the name the changelog used. */
	Map<String, String> substituted() {
		return Map.copyOf(this.substituted);
	}

	/**
	 * Whether the value is the one configured, or set as a system property or environment variable, for that
	 * name (Liquibase matches names ignoring case, and those come first).
	 */
	private boolean isFromOutside(String key, Object value) {
		String text = String.valueOf(value);
		return matches(this.configured, key, text) || matches(System.getenv(), key, text)
				|| System.getProperties()
					.entrySet()
					.stream()
					.anyMatch((entry) -> key.equalsIgnoreCase(String.valueOf(entry.getKey()))
							&& text.equals(String.valueOf(entry.getValue())));
	}

	private static boolean matches(Map<String, String> values, String key, String value) {
		return values.entrySet()
			.stream()
			.anyMatch((entry) -> key.equalsIgnoreCase(entry.getKey()) && value.equals(entry.getValue()));
	}

}
