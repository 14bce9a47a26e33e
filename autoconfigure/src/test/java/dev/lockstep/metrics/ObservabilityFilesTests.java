package dev.lockstep.metrics;

import java.io.IOException;
import java.io.Reader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import io.micrometer.core.instrument.MeterRegistry;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.yaml.snakeyaml.Yaml;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import dev.lockstep.test.RunningApp;
import dev.lockstep.test.TestDatabase;
import dev.lockstep.test.TestDatabases;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The Grafana dashboard and the Prometheus alert rules of {@code deploy/observability} use only series that exist:
 * every metric name, label and fixed label value in their PromQL is checked against the series of a real
 * application with three targets (the default one, {@code billing} on a second database, {@code tenants} with three
 * tenant schemas, one of which fails).
 */
class ObservabilityFilesTests {

	private static final Path FOLDER = Path.of("..", "deploy", "observability");

	private static final Pattern LABEL_VALUES = Pattern.compile("label_values\\(\\s*(.+?)\\s*,\\s*(\\w+)\\s*\\)");

	private static List<PrometheusSeries> series;

	@BeforeAll
	static void scrapeARunningApplication() {
		TestDatabase db = TestDatabases.create();
		TestDatabase billing = TestDatabases.create();
		db.execute("CREATE SCHEMA tenant_02; CREATE TABLE tenant_02.notes (something_else int)");
		try (RunningApp app = RunningApp.start(db, TargetMetricsTests.targets(billing, 3,
				"migrations.targets.tenants.tenants.on-failure=continue"))) {
			series = PrometheusSeries.of(app.bean(MeterRegistry.class));
		}
	}

	@Test
	void theDashboardUsesOnlySeriesThatExist() throws IOException {
		List<Expression> expressions = dashboardExpressions();
		assertThat(expressions).as("the dashboard's queries").hasSizeGreaterThanOrEqualTo(12);
		assertThat(problems(expressions)).isEmpty();
		// The target variable lists every target.
		assertThat(series).filteredOn((each) -> each.name().equals("migrations_changesets_pending"))
			.extracting((each) -> each.labels().get("target"))
			.containsExactlyInAnyOrder("default", "billing", "tenants");
	}

	@Test
	@SuppressWarnings("unchecked")
	void theAlertRulesUseOnlySeriesThatExist() throws IOException {
		List<Map<String, Object>> rules = alertRules();
		assertThat(rules).extracting((rule) -> rule.get("alert"))
			.contains("LockstepMigrationsPendingTooLong", "LockstepLastRunFailed", "LockstepSchemaDrift",
					"LockstepLockWaitOverAMinute", "LockstepTenantsFailed");
		assertThat(rules).allSatisfy((rule) -> {
			assertThat(rule).containsKeys("alert", "expr", "labels", "annotations");
			assertThat((Map<String, Object>) rule.get("annotations")).containsKeys("summary", "description");
			assertThat((Map<String, Object>) rule.get("labels")).containsKey("severity");
		});
		List<Expression> expressions = new ArrayList<>();
		for (Map<String, Object> rule : rules) {
			// Annotations may show the labels the expression keeps.
			String annotations = rule.get("annotations").toString().replaceAll("\\$labels\\.(\\w+)", "{{$1}}");
			expressions.add(new Expression("alert " + rule.get("alert"), (String) rule.get("expr"), annotations));
		}
		assertThat(problems(expressions)).isEmpty();
	}

	@Test
	void aMetricLabelOrValueThatDoesNotExistIsReported() {
		SeriesCheck check = new SeriesCheck(series);
		assertThat(check.problems("typo", "max by (target) (migrations_changesets_pendng) > 0", null))
			.singleElement().asString().contains("no metric migrations_changesets_pendng");
		assertThat(check.problems("typo", "migrations_tenants{stat=\"FAILED\"} > 0", null))
			.singleElement().asString().contains("has no label stat");
		assertThat(check.problems("typo", "migrations_tenants{state=\"FAIL\"} > 0", null))
			.singleElement().asString().contains("is never =\"FAIL\"");
		assertThat(check.problems("typo", "migrations_lock_wait_seconds_max{outcome=\"failed\"}", null))
			.as("failed is an outcome of runs, not of lock waits")
			.singleElement().asString().contains("is never =\"failed\"");
		assertThat(check.problems("typo", "max by (tenant) (migrations_tenants)", null))
			.singleElement().asString().contains("label tenant is not one of");
		assertThat(check.problems("typo", "rate(migrations_run_seconds_count[5m])", "{{target}} {{outcom}}"))
			.singleElement().asString().contains("label outcom");
		assertThat(check.problems("fine", "sum by (target, outcome) (increase(migrations_run_seconds_count"
				+ "{target=~\"$target\", outcome=~\"fail.*\"}[$__rate_interval]))", "{{target}} {{outcome}}"))
			.isEmpty();
	}

	private static List<String> problems(List<Expression> expressions) {
		SeriesCheck check = new SeriesCheck(series);
		List<String> problems = new ArrayList<>();
		expressions.forEach((e) -> problems.addAll(check.problems(e.where(), e.expr(), e.legend())));
		return problems;
	}

	private static List<Expression> dashboardExpressions() throws IOException {
		JsonNode dashboard = JsonMapper.builder().build()
			.readTree(Files.readString(FOLDER.resolve("lockstep-dashboard.json")));
		List<Expression> expressions = new ArrayList<>();
		for (JsonNode panel : dashboard.path("panels")) {
			for (JsonNode target : panel.path("targets")) {
				expressions.add(new Expression("panel " + panel.path("title").asString(),
						target.path("expr").asString(), target.path("legendFormat").asString()));
			}
		}
		for (JsonNode variable : dashboard.path("templating").path("list")) {
			JsonNode query = variable.path("query");
			String text = query.isObject() ? query.path("query").asString() : query.asString();
			Matcher labelValues = LABEL_VALUES.matcher(text);
			if (labelValues.matches()) {
				expressions.add(new Expression("variable " + variable.path("name").asString(), labelValues.group(1),
						"{{" + labelValues.group(2) + "}}"));
			}
		}
		return expressions;
	}

	@SuppressWarnings("unchecked")
	private static List<Map<String, Object>> alertRules() throws IOException {
		try (Reader reader = Files.newBufferedReader(FOLDER.resolve("lockstep-alerts.yaml"))) {
			Map<String, Object> file = new Yaml().load(reader);
			List<Map<String, Object>> rules = new ArrayList<>();
			for (Map<String, Object> group : (List<Map<String, Object>>) file.get("groups")) {
				rules.addAll((List<Map<String, Object>>) group.get("rules"));
			}
			return rules;
		}
	}

	private record Expression(String where, String expr, String legend) {
	}

}
