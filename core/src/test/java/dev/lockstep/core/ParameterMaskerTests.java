package dev.lockstep.core;

import java.util.Map;

import org.junit.jupiter.api.Test;

import dev.lockstep.core.changelog.ParameterMasker;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The masking rules on their own; {@code MigrationsEndpointSecretsTests} shows them on every surface of a running
 * application.
 */
class ParameterMaskerTests {

	@Test
	void masksEachValueWithItsParameterName() {
		ParameterMasker masker = ParameterMasker.of(Map.of("db.password", "s3cr3t-pw"));
		assertThat(masker.mask("CREATE ROLE app LOGIN PASSWORD 's3cr3t-pw'"))
			.isEqualTo("CREATE ROLE app LOGIN PASSWORD '${db.password}'");
	}

	@Test
	void leavesValuesAloneThatCannotBeToldApartFromSql() {
		ParameterMasker masker = ParameterMasker.of(Map.of("flag", "true", "empty", "", "short", "abc", "n", "10",
				"none", "NULL"));
		String sql = "UPDATE t SET a = true, b = 'abc', c = 10, d = NULL";
		assertThat(masker.mask(sql)).isEqualTo(sql);
	}

	@Test
	void masksLongerValuesFirstAndNeverInsideAPlaceholder() {
		ParameterMasker masker = ParameterMasker.of(Map.of("schema", "tenant", "dsn", "host=db tenant=tenant_7",
				"word", "chem"));
		assertThat(masker.mask("SELECT 'host=db tenant=tenant_7' FROM tenant.t"))
			.isEqualTo("SELECT '${dsn}' FROM ${schema}.t");
	}

	@Test
	void masksNumbersOnlyWhereTheyStandWhole() {
		ParameterMasker masker = ParameterMasker.of(Map.of("pin", "4711"));
		assertThat(masker.mask("VALUES (4711, 47110, 'x4711')")).isEqualTo("VALUES (${pin}, 47110, 'x${pin}')");
	}

}
