package dev.lockstep.test;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;

import liquibase.integration.spring.SpringResourceAccessor;

import org.springframework.core.io.DefaultResourceLoader;

import dev.lockstep.core.MigrationEngine;
import dev.lockstep.core.api.MigrationSettings;

/**
 * A master changelog in a temporary directory that tests write, run, and then rewrite in place: the same file
 * path keeps changeset identities, so an edit is drift and a removed changeset makes the database ahead.
 */
public final class ChangeLogFile {

	public static final String CUSTOMERS = """
			  - changeSet:
			      id: 1-create-customers
			      author: ana
			      changes:
			        - createTable:
			            tableName: customers
			            columns:
			              - column: {name: id, type: bigint, autoIncrement: true, constraints: {primaryKey: true}}
			              - column: {name: name, type: varchar(200), constraints: {nullable: false}}
			""";

	/** {@link #CUSTOMERS} edited after it ran. */
	public static final String CUSTOMERS_EDITED = CUSTOMERS.replace("varchar(200)", "varchar(250)");

	public static final String ORDERS = """
			  - changeSet:
			      id: 2-create-orders
			      author: ana
			      changes:
			        - createTable:
			            tableName: orders
			            columns:
			              - column: {name: id, type: bigint, autoIncrement: true, constraints: {primaryKey: true}}
			              - column: {name: customer_id, type: bigint, constraints: {nullable: false}}
			""";

	public static final String EMAIL = """
			  - changeSet:
			      id: 3-add-email
			      author: ben
			      changes:
			        - addColumn:
			            tableName: customers
			            columns:
			              - column: {name: email, type: varchar(320)}
			""";

	/** A changeset the database rejects. */
	public static final String BROKEN = """
			  - changeSet:
			      id: 3-broken
			      author: ben
			      changes:
			        - sql:
			            sql: ALTER TABLE no_such_table ADD COLUMN email varchar(320)
			""";

	private final Path path;

	private ChangeLogFile(Path path) {
		this.path = path;
	}

	public static ChangeLogFile in(Path directory) {
		return new ChangeLogFile(directory.resolve("db.changelog-master.yaml"));
	}

	/** A changeset that takes the given time to run. */
	public static String sleeping(String id, double seconds) {
		return """
				  - changeSet:
				      id: %s
				      author: ops
				      changes:
				        - sql:
				            sql: SELECT pg_sleep(%s)
				""".formatted(id, seconds);
	}

	/** (Re)writes the file with the given changesets. */
	public ChangeLogFile write(String... changeSets) {
		StringBuilder yaml = new StringBuilder("databaseChangeLog:\n");
		for (String changeSet : changeSets) {
			yaml.append(changeSet);
		}
		try {
			Files.writeString(this.path, yaml);
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
		return this;
	}

	/** Where {@code migrations.change-log} finds it. */
	public String location() {
		return "file:" + this.path;
	}

	/** The property that points an application at this changelog. */
	public String property() {
		return "migrations.change-log=" + location();
	}

	/** An engine for this changelog on the database, as the application would build it. */
	public MigrationEngine engine(TestDatabase db) {
		return new MigrationEngine(db.dataSource(), new SpringResourceAccessor(new DefaultResourceLoader()),
				MigrationSettings.of(location()));
	}

	/** Applies this changelog to the database outside any application (another instance, or a CI job). */
	public void applyTo(TestDatabase db) {
		engine(db).apply();
	}

}
