package io.archiveguardian.grafana;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * The rules of grafana/dashboard-linter (which cannot be installed here), and the monitoring-mixin
 * conventions of the rule file, as tests.
 */
class DashboardLintTest {

    static final Pattern TOTAL = Pattern.compile("(?<![A-Za-z0-9_:])[A-Za-z_:][A-Za-z0-9_:]*_total\\b");
    static final Set<String> SEVERITIES = Set.of("critical", "warning", "info");

    final Dashboard dashboard = Dashboard.load();

    @Test
    void panelIdsAreUnique() {
        Set<Integer> seen = new HashSet<>();
        List<Integer> duplicates = new ArrayList<>();
        for (JsonNode p : dashboard.allPanels()) {
            assertThat(p.has("id")).as("panel '%s' has an id", p.path("title").asText()).isTrue();
            if (!seen.add(p.get("id").asInt())) {
                duplicates.add(p.get("id").asInt());
            }
        }
        assertThat(duplicates).isEmpty();
    }

    @Test
    void exactlyOneDatasourceVariableNamedDatasourceIsUsedByEveryPanelAndQuery() {
        List<JsonNode> datasourceVars = dashboard.variables().stream()
                .filter(v -> "datasource".equals(v.path("type").asText())).toList();
        assertThat(datasourceVars).hasSize(1);
        assertThat(datasourceVars.get(0).path("name").asText()).isEqualTo("datasource");
        assertThat(datasourceVars.get(0).path("query").asText()).isEqualTo("prometheus");
        List<String> wrong = new ArrayList<>();
        for (JsonNode p : dashboard.dataPanels()) {
            if (!"${datasource}".equals(p.path("datasource").path("uid").asText())) {
                wrong.add(p.path("title").asText());
            }
            for (JsonNode t : p.path("targets")) {
                if (t.has("datasource") && !"${datasource}".equals(t.path("datasource").path("uid").asText())) {
                    wrong.add(p.path("title").asText() + " / " + t.path("refId").asText());
                }
            }
        }
        for (JsonNode v : dashboard.variables()) {
            if ("query".equals(v.path("type").asText()) && !"${datasource}".equals(v.path("datasource").path("uid").asText())) {
                wrong.add("variable " + v.path("name").asText());
            }
        }
        assertThat(wrong).as("panels, queries and variables not on ${datasource}").isEmpty();
    }

    @Test
    void theVariablesAreJobInstanceAndLogdir() {
        assertThat(dashboard.variables()).extracting(v -> v.path("name").asText())
                .containsExactly("datasource", "job", "instance", "logdir");
    }

    @Test
    void everyPanelHasATitleADescriptionAUnitAndAQuery() {
        List<String> problems = new ArrayList<>();
        for (JsonNode p : dashboard.dataPanels()) {
            String title = p.path("title").asText();
            if (title.isBlank()) {
                problems.add("panel " + p.path("id") + " has no title");
            }
            if (p.path("description").asText().isBlank()) {
                problems.add(title + ": no description");
            }
            if (p.path("fieldConfig").path("defaults").path("unit").asText().isBlank()) {
                problems.add(title + ": no unit");
            }
            List<JsonNode> queries = new ArrayList<>();
            p.path("targets").forEach(t -> {
                if (!t.path("expr").asText().isBlank()) {
                    queries.add(t);
                }
            });
            if (queries.isEmpty()) {
                problems.add(title + ": no query");
            }
        }
        assertThat(problems).isEmpty();
        assertThat(dashboard.dataPanels()).hasSizeGreaterThan(20);
    }

    @Test
    void rateAndIncreaseUseTheRateInterval() {
        List<String> problems = new ArrayList<>();
        for (Dashboard.Target t : dashboard.targets()) {
            problems.addAll(rateProblems(t.panelTitle(), t.expr()));
        }
        assertThat(problems).isEmpty();
        // the check itself sees a fixed window
        assertThat(rateProblems("probe", "sum(rate(guardian_pass_failures_total[5m]))")).hasSize(1);
        assertThat(rateProblems("probe", "sum(rate(guardian_pass_failures_total[$__rate_interval]))")).isEmpty();
    }

    static List<String> rateProblems(String where, String expr) {
        List<String> problems = new ArrayList<>();
        for (PromQl.Span call : PromQl.rateCalls(expr)) {
            List<String> ranges = PromQl.ranges(expr.substring(call.start(), call.end()));
            if (!ranges.equals(List.of("$__rate_interval"))) {
                problems.add(where + ": " + call.function() + " over " + ranges);
            }
        }
        return problems;
    }

    @Test
    void countersOnlyAppearInsideRateOrIncrease() {
        List<String> problems = new ArrayList<>();
        for (Dashboard.Target t : dashboard.targets()) {
            problems.addAll(bareCounters(t.panelTitle(), t.expr()));
        }
        assertThat(problems).isEmpty();
        // the check itself sees a bare counter
        assertThat(bareCounters("probe", "guardian_pass_failures_total > 0")).hasSize(1);
        assertThat(bareCounters("probe", "increase(guardian_pass_failures_total[$__rate_interval])")).isEmpty();
    }

    static List<String> bareCounters(String where, String expr) {
        List<String> problems = new ArrayList<>();
        List<PromQl.Span> calls = PromQl.rateCalls(expr);
        Matcher m = TOTAL.matcher(expr);
        while (m.find()) {
            int at = m.start();
            if (calls.stream().noneMatch(c -> c.contains(at))) {
                problems.add(where + ": " + m.group() + " outside rate/increase");
            }
        }
        return problems;
    }

    @Test
    void everyGuardianMetricReferencedIsDocumented() {
        Set<String> documented = MetricReferences.documented();
        Set<String> recorded = new HashSet<>(GrafanaFiles.recordedNames());
        Map<String, String> expressions = new LinkedHashMap<>();
        for (Dashboard.Target t : dashboard.targets()) {
            expressions.put("panel '" + t.panelTitle() + "' " + t.refId(), t.expr());
        }
        for (JsonNode v : dashboard.variables()) {
            if (v.has("definition")) {
                expressions.put("variable " + v.path("name").asText(), v.path("definition").asText());
            }
        }
        for (JsonNode r : GrafanaFiles.rules()) {
            expressions.put("rule " + r.path(r.has("alert") ? "alert" : "record").asText(), r.path("expr").asText());
        }
        Set<String> problems = new TreeSet<>();
        Set<String> used = new TreeSet<>();
        expressions.forEach((where, expr) -> {
            for (String name : MetricReferences.referenced(expr)) {
                if (name.contains(":")) {
                    if (!recorded.contains(name)) {
                        problems.add(where + ": recording rule " + name + " is not in guardian-rules.yml");
                    }
                } else if (MetricReferences.family(name, documented) == null) {
                    problems.add(where + ": " + name + " is not in docs/metrics.md");
                } else {
                    used.add(name);
                }
            }
        });
        assertThat(problems).isEmpty();
        assertThat(used).as("the checks saw the metrics").contains("guardian_disk_pressure_level", "guardian_ballast_bytes");
        // a typo is caught
        assertThat(MetricReferences.family("guardian_disk_presure_level", documented)).isNull();
    }

    @Test
    void everyAlertFollowsTheConventionsAndLinksAnExistingRunbookSection() {
        Set<String> anchors = RunbookAnchors.of(GrafanaFiles.read(GrafanaFiles.RUNBOOK));
        List<String> problems = new ArrayList<>();
        for (JsonNode a : GrafanaFiles.alertRules()) {
            String name = a.path("alert").asText();
            if (!name.matches("Guardian[A-Z][A-Za-z0-9]*")) {
                problems.add(name + ": not CamelCase with the Guardian prefix");
            }
            if (!SEVERITIES.contains(a.path("labels").path("severity").asText())) {
                problems.add(name + ": severity '" + a.path("labels").path("severity").asText() + "'");
            }
            String summary = a.path("annotations").path("summary").asText();
            if (summary.isBlank() || !summary.endsWith(".") || summary.contains("{{")) {
                problems.add(name + ": summary must be one fixed sentence ending with a period: " + summary);
            }
            String description = a.path("annotations").path("description").asText();
            String expr = a.path("expr").asText().strip();
            if (expr.startsWith("absent(")) {
                // absent() has no series to template from (its labels are only the selector's own
                // matchers, which differ per generated variant): the description names the selector.
                String selector = expr.substring("absent(".length(), expr.lastIndexOf(')'));
                if (!description.contains(selector)) {
                    problems.add(name + ": an absent() alert's description must name its selector " + selector);
                }
            } else if (!description.contains("{{")) {
                problems.add(name + ": description is not templated");
            }
            String url = a.path("annotations").path("runbook_url").asText();
            String anchor = url.contains("#") ? url.substring(url.indexOf('#') + 1) : "";
            if (!url.contains("docs/runbook-alerts.md#") || !anchors.contains(anchor)) {
                problems.add(name + ": runbook_url anchor '" + anchor + "' is not a section of docs/runbook-alerts.md");
            } else if (!anchor.equals(name.toLowerCase(java.util.Locale.ROOT))) {
                problems.add(name + ": runbook_url points to the section of another alert: " + anchor);
            }
        }
        assertThat(problems).isEmpty();
    }

    @Test
    void everyRunbookSectionHasMeaningImpactDiagnosisAndMitigation() {
        String runbook = GrafanaFiles.read(GrafanaFiles.RUNBOOK);
        Set<String> names = new TreeSet<>();
        GrafanaFiles.alertRules().forEach(a -> names.add(a.path("alert").asText()));
        List<String> problems = new ArrayList<>();
        for (String name : names) {
            int start = runbook.indexOf("\n## " + name + "\n");
            if (start < 0) {
                problems.add(name + ": no section");
                continue;
            }
            int end = runbook.indexOf("\n## ", start + 1);
            String section = runbook.substring(start, end < 0 ? runbook.length() : end);
            for (String part : List.of("Meaning", "Impact", "Diagnosis", "Mitigation")) {
                if (!section.contains("\n### " + part + "\n")) {
                    problems.add(name + ": no " + part);
                }
            }
            if (!section.contains("](")) {
                problems.add(name + ": links to no other runbook or doc");
            }
        }
        assertThat(problems).isEmpty();
    }

    @Test
    void docsAlertsMapsEveryAlertToItsRunbookSectionAndTest() {
        String doc = GrafanaFiles.read(GrafanaFiles.ALERTS_DOC);
        JsonNode tests = GrafanaFiles.yaml(GrafanaFiles.RULE_TESTS);
        List<String> problems = new ArrayList<>();
        for (JsonNode a : GrafanaFiles.alertRules()) {
            String name = a.path("alert").asText();
            String row = doc.lines().filter(l -> l.startsWith("| `" + name + "`")
                    && l.contains("`" + a.path("labels").path("severity").asText() + "`")).findFirst().orElse(null);
            if (row == null) {
                problems.add(name + " (" + a.path("labels").path("severity").asText() + "): no row in docs/alerts.md");
                continue;
            }
            if (!row.contains("runbook-alerts.md#" + name.toLowerCase(java.util.Locale.ROOT) + ")")) {
                problems.add(name + ": row does not link its runbook section");
            }
            Matcher m = Pattern.compile("test: ([^|]+)\\|").matcher(row);
            boolean testNamed = false;
            while (m.find()) {
                for (String testName : m.group(1).split(";")) {
                    String t = testName.strip().replace("\\|", "|");
                    boolean exists = false;
                    for (JsonNode g : tests.path("tests")) {
                        exists |= g.path("name").asText().equals(t);
                    }
                    if (!exists) {
                        problems.add(name + ": test group '" + t + "' is not in guardian-rules.test.yml");
                    }
                    testNamed = true;
                }
            }
            if (!testNamed) {
                problems.add(name + ": row names no promtool test group");
            }
        }
        assertThat(problems).isEmpty();
    }

    @Test
    void provisioningLoadsTheDashboardAndAPrometheusDatasource() {
        JsonNode ds = GrafanaFiles.yaml(GrafanaFiles.PROVISIONING.resolve("datasources/prometheus.yml"));
        assertThat(ds.path("apiVersion").asInt()).isEqualTo(1);
        assertThat(ds.path("datasources").get(0).path("type").asText()).isEqualTo("prometheus");
        JsonNode dashboards = GrafanaFiles.yaml(GrafanaFiles.PROVISIONING.resolve("dashboards/guardian.yml"));
        assertThat(dashboards.path("providers").get(0).path("type").asText()).isEqualTo("file");
        assertThat(dashboards.path("providers").get(0).path("options").path("path").asText())
                .isEqualTo("/var/lib/grafana/dashboards/kafka-archive-guardian");
        assertThat(GrafanaFiles.read(GrafanaFiles.ROOT.resolve("grafana/README.md")))
                .as("the README mounts the dashboards where the provider looks")
                .contains("/var/lib/grafana/dashboards/kafka-archive-guardian", "/etc/grafana/provisioning");
        assertThat(dashboard.json.path("uid").asText()).isNotBlank();
    }

    @Test
    void panelThresholdsMatchTheAlertRules() {
        Map<String, List<Double>> expected = new LinkedHashMap<>();
        expected.put("Usable space", List.of(0.20, 0.40)); // GuardianDiskFillingUp critical, warning
        expected.put("Time to full", List.of(4 * 3600.0, 24 * 3600.0));
        expected.put("Pressure level", List.of(1.0, 2.0, 3.0)); // warn, GuardianDiskPressureHigh, ...Critical
        expected.put("Inodes free", List.of(0.05)); // GuardianDiskInodesLow
        expected.put("Recovery need and headroom", List.of(0.0)); // GuardianRecoveryHeadroomNegative
        expected.put("Last pass age", List.of(600.0)); // GuardianLastPassStale
        String rules = GrafanaFiles.read(GrafanaFiles.RULES);
        assertThat(rules).contains("< 0.40", "< 0.20", "< 24 * 3600", "< 4 * 3600", "== 2", ">= 3", "< 0.05",
                "guardian_recovery_headroom_bytes < 0", "> 600");
        for (Map.Entry<String, List<Double>> e : expected.entrySet()) {
            JsonNode panel = dashboard.dataPanels().stream().filter(p -> p.path("title").asText().equals(e.getKey()))
                    .findFirst().orElseThrow(() -> new AssertionError("no panel " + e.getKey()));
            List<Double> steps = new ArrayList<>();
            panel.path("fieldConfig").path("defaults").path("thresholds").path("steps").forEach(s -> {
                if (!s.path("value").isNull() && !s.path("value").isMissingNode()) {
                    steps.add(s.path("value").asDouble());
                }
            });
            assertThat(steps).as(e.getKey()).isEqualTo(e.getValue());
        }
    }
}
