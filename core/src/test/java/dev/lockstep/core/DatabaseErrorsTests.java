package dev.lockstep.core;

import org.junit.jupiter.api.Test;

import dev.lockstep.core.problem.DatabaseErrors;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Row data is dropped from messages composed elsewhere (and recorded by older versions); PostgreSQL's own errors
 * are covered on a real server by {@code MigrationsEndpointSecretsTests}.
 */
class DatabaseErrorsTests {

	@Test
	void dropsDetailAndWhereLinesAndKeepsTheRest() {
		String message = "Changeset 2::ben in db.yaml failed: ERROR: duplicate key value violates unique constraint "
				+ "\"customers_email_key\"\n  Detail: Key (email)=(ana@example.com) already exists.\n"
				+ "  Where: SQL statement \"INSERT INTO customers VALUES ('ana@example.com')\"\n"
				+ "  Hint: Check the data.\n1 changeset(s) of this run were applied before it.";
		assertThat(DatabaseErrors.withoutRowData(message)).isEqualTo("Changeset 2::ben in db.yaml failed: ERROR: "
				+ "duplicate key value violates unique constraint \"customers_email_key\"\n  Hint: Check the data.\n"
				+ "1 changeset(s) of this run were applied before it.");
		assertThat(DatabaseErrors.withoutRowData(null)).isNull();
	}

	@Test
	void redactsTheFailedStatementLiquibaseAppends() {
		String message = "Migration failed for changeset db.yaml::2::ben:\n     Reason: liquibase.exception."
				+ "DatabaseException: ERROR: role \"app\" already exists [Failed SQL: (0) CREATE ROLE app PASSWORD "
				+ "'s3cr3t']\nMore.";
		assertThat(DatabaseErrors.redact(message)).isEqualTo("Migration failed for changeset db.yaml::2::ben:\n"
				+ "     Reason: liquibase.exception.DatabaseException: ERROR: role \"app\" already exists\nMore.");
	}

}
