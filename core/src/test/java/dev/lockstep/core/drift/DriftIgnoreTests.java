package dev.lockstep.core.drift;

import java.util.List;

import org.junit.jupiter.api.Test;

import dev.lockstep.core.problem.MigrationException;
import dev.lockstep.core.problem.Wording;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

class DriftIgnoreTests {

	private static CatalogObject index(String name, String table) {
		return new CatalogObject("index", name, table, "CREATE INDEX ...");
	}

	@Test
	void globsMatchWholeNamesWithoutRegardToCase() {
		DriftIgnore ignore = DriftIgnore.of(List.of("index:*_TMP", "function:pg_stat_?"));
		assertThat(ignore.ignores(index("orders_tmp", "orders"))).isTrue();
		assertThat(ignore.ignores(index("orders_tmp_old", "orders"))).isFalse();
		assertThat(ignore.ignores(new CatalogObject("function", "pg_stat_x", null, ""))).isTrue();
		assertThat(ignore.ignores(new CatalogObject("function", "pg_stat_xy", null, ""))).isFalse();
		assertThat(ignore.ignores(new CatalogObject("table", "orders_tmp", null, "table"))).isFalse();
	}

	@Test
	void aTablePatternCoversWhatBelongsToTheTableAndAStarKindCoversEveryKind() {
		DriftIgnore ignore = DriftIgnore.of(List.of("table:audit_*", "*:scratch*"));
		assertThat(ignore.ignores(new CatalogObject("column", "audit_log.at", "audit_log", "date null"))).isTrue();
		assertThat(ignore.ignores(index("audit_log_at_idx", "audit_log"))).isTrue();
		assertThat(ignore.ignores(new CatalogObject("sequence", "scratch_seq", null, ""))).isTrue();
		assertThat(ignore.ignores(index("orders_idx", "orders"))).isFalse();
	}

	@Test
	void kindsMayBeWrittenWithDashesAndRegexCharactersAreLiteral() {
		DriftIgnore ignore = DriftIgnore.of(List.of("materialized-view:totals.(x)"));
		assertThat(ignore.ignores(new CatalogObject("materialized view", "totals.(x)", null, ""))).isTrue();
		assertThat(ignore.ignores(new CatalogObject("materialized view", "totalsa(x)", null, ""))).isFalse();
	}

	@Test
	void aPatternWithoutKindOrWithAnUnknownKindIsOneClearError() {
		assertThatExceptionOfType(MigrationException.class).isThrownBy(() -> DriftIgnore.of(List.of("orders_tmp")))
			.satisfies((ex) -> {
				assertThat(ex.getMessage()).isEqualTo(
						"The drift ignore pattern 'orders_tmp' (in driftIgnore) is not kind:name");
				assertThat(ex.action()).contains("index:*_tmp").contains("table, trigger, type");
			});
		assertThatExceptionOfType(MigrationException.class).isThrownBy(() -> DriftIgnore.of(List.of("indexes:*")))
			.satisfies((ex) -> assertThat(ex.message(Wording.NEUTRAL)).contains("names no kind of object"));
	}

}
