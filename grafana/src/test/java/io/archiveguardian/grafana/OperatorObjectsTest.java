package io.archiveguardian.grafana;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.archiveguardian.grafana.operator.OperatorObjects;
import io.archiveguardian.grafana.operator.OperatorObjects.Output;
import io.archiveguardian.grafana.operator.OperatorObjects.Settings;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.StreamSupport;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The Prometheus Operator objects come from the one rule file and the one dashboard: grafana/operator/
 * is exactly what OperatorObjects generates from them by default, each object carries its source
 * unchanged but for the selector, and promtool's unit tests pass on every generated variant of the
 * selector (the test file's scrape targets relabelled to match it, plus a target the selector must
 * not see).
 */
class OperatorObjectsTest {

    static final Path OPERATOR = GrafanaFiles.ROOT.resolve("grafana/operator");
    static final Path GENERATOR = GrafanaFiles.ROOT.resolve(
            "grafana/src/main/java/io/archiveguardian/grafana/operator/OperatorObjects.java");
    static final Path POD_SNIPPET = GrafanaFiles.ROOT.resolve("deploy/kubernetes/broker-pod-snippet.yaml");

    /** A selector and the labels of a scrape target that it selects. */
    record Variant(String selector, Map<String, String> target) {
    }

    static final List<Variant> VARIANTS = List.of(
            new Variant("job=\"guardian\"", Map.of("job", "guardian")),
            // the Prometheus Operator's own job name for a PodMonitor kafka/guardian
            new Variant("job=\"kafka/guardian\"", Map.of("job", "kafka/guardian")),
            // a selector on the labels the operator adds, whatever the job is called
            new Variant("namespace=\"kafka\",container=\"guardian\"",
                    Map.of("namespace", "kafka", "container", "guardian", "job", "kafka/broker-pods")));

    @TempDir
    Path tmp;

    @Test
    void theCheckedInObjectsAreWhatTheSourcesGenerate() {
        for (Output o : defaults()) {
            assertThat(GrafanaFiles.read(OPERATOR.resolve(o.file())))
                    .as("grafana/operator/" + o.file() + " is stale: run `java " + GrafanaFiles.ROOT.relativize(GENERATOR)
                            + " --out grafana/operator` from the repository root and commit the result")
                    .isEqualTo(o.text());
        }
    }

    @Test
    void thePrometheusRuleIsTheRuleFileWithTheSelector() throws Exception {
        for (Variant v : VARIANTS) {
            Map<String, String> files = generate(v.selector());
            JsonNode rule = GrafanaFiles.YAML.readTree(files.get(OperatorObjects.PROMETHEUS_RULE));
            assertThat(rule.path("apiVersion").asText()).isEqualTo("monitoring.coreos.com/v1");
            assertThat(rule.path("kind").asText()).isEqualTo("PrometheusRule");
            JsonNode source = GrafanaFiles.YAML.readTree(GrafanaFiles.read(GrafanaFiles.RULES).replace("job=\"guardian\"", v.selector()));
            assertThat(rule.get("spec")).as(v.selector()).isEqualTo(source);
            assertThat(GrafanaFiles.YAML.readTree(files.get(OperatorObjects.RULE_FILE))).isEqualTo(source);
            List<String> exprs = new ArrayList<>();
            rule.at("/spec/groups").forEach(g -> g.path("rules").forEach(r -> exprs.add(r.path("expr").asText())));
            assertThat(exprs).contains("up{" + v.selector() + "} == 0", "absent(up{" + v.selector() + "})");
        }
    }

    @Test
    void theDashboardConfigMapCarriesTheDashboardForGrafanasSidecar() throws Exception {
        JsonNode cm = GrafanaFiles.YAML.readTree(generate("job=\"guardian\"").get(OperatorObjects.DASHBOARD_CONFIG_MAP));
        assertThat(cm.path("kind").asText()).isEqualTo("ConfigMap");
        assertThat(cm.at("/metadata/labels/grafana_dashboard").isTextual()).as("the label is the string \"1\"").isTrue();
        assertThat(cm.at("/metadata/labels/grafana_dashboard").asText()).isEqualTo("1");
        assertThat(GrafanaFiles.JSON.readTree(cm.at("/data/guardian.json").asText())).isEqualTo(GrafanaFiles.json(GrafanaFiles.DASHBOARD));
    }

    @Test
    void thePodMonitorScrapesThePodSnippetsSidecarPortUnderTheJobTheRulesSelect() throws Exception {
        JsonNode pod = GrafanaFiles.YAML.readTree(POD_SNIPPET.toFile());
        List<String> sidecarPorts = new ArrayList<>();
        for (String list : List.of("initContainers", "containers")) {
            pod.path(list).forEach(c -> {
                if (c.path("name").asText().equals("guardian")) {
                    c.path("ports").forEach(p -> sidecarPorts.add(p.path("name").asText()));
                }
            });
        }
        for (Variant v : VARIANTS) {
            JsonNode pm = GrafanaFiles.YAML.readTree(generate(v.selector()).get(OperatorObjects.POD_MONITOR));
            assertThat(pm.path("kind").asText()).isEqualTo("PodMonitor");
            JsonNode endpoint = pm.at("/spec/podMetricsEndpoints/0");
            assertThat(sidecarPorts).as("the pod snippet's sidecar ports").contains(endpoint.path("port").asText());
            assertThat(endpoint.path("path").asText()).isEqualTo("/metrics");
            List<JsonNode> jobRelabel = StreamSupport.stream(endpoint.path("relabelings").spliterator(), false)
                    .filter(r -> r.path("targetLabel").asText().equals("job")).toList();
            if (v.selector().startsWith("job=")) {
                assertThat(jobRelabel).hasSize(1);
                assertThat(jobRelabel.get(0).path("replacement").asText()).isEqualTo(v.target().get("job"));
            } else {
                assertThat(jobRelabel).as("no job selected: the operator's job stays").isEmpty();
            }
        }
    }

    @Test
    void promtoolChecksAndTestsEveryVariant() throws Exception {
        Programs.require(Programs.PROMTOOL);
        for (Variant v : VARIANTS) {
            Path dir = Files.createDirectories(tmp.resolve("v" + VARIANTS.indexOf(v)));
            JsonNode rule = GrafanaFiles.YAML.readTree(generate(v.selector()).get(OperatorObjects.PROMETHEUS_RULE));
            GrafanaFiles.YAML.writeValue(dir.resolve("guardian-rules.yml").toFile(), rule.get("spec"));
            GrafanaFiles.YAML.writeValue(dir.resolve("guardian-rules.test.yml").toFile(), testsFor(v));
            Programs.Result check = Programs.run(dir, Programs.PROMTOOL, "check", "rules", "guardian-rules.yml");
            assertThat(check.exitCode()).as(v.selector() + ": " + check.output()).isZero();
            Programs.Result test = Programs.run(dir, Programs.PROMTOOL, "test", "rules", "guardian-rules.test.yml");
            assertThat(test.exitCode()).as(v.selector() + ": " + test.output()).isZero();
        }
    }

    /** The documented command: the generator as a single source file on the JDK alone. */
    @Test
    void theGeneratorRunsAsASingleSourceFileAndRefusesABadSelector() throws Exception {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        Path out = tmp.resolve("out");
        Programs.Result ok = Programs.run(GrafanaFiles.ROOT, java, GENERATOR.toString(),
                "--selector", "job=\"kafka/guardian\"", "--namespace", "kafka", "--label", "release=prom", "--out", out.toString());
        assertThat(ok.exitCode()).as(ok.output()).isZero();
        Map<String, String> expected = new LinkedHashMap<>();
        for (Output o : OperatorObjects.generate(new Settings("job=\"kafka/guardian\"", "guardian", "kafka",
                Map.of("release", "prom"), Settings.defaults().podSelector(), "guardian"),
                GrafanaFiles.read(GrafanaFiles.RULES), GrafanaFiles.read(GrafanaFiles.DASHBOARD))) {
            expected.put(o.file(), o.text());
        }
        for (Map.Entry<String, String> e : expected.entrySet()) {
            assertThat(GrafanaFiles.read(out.resolve(e.getKey()))).isEqualTo(e.getValue());
        }
        assertThat(GrafanaFiles.YAML.readTree(expected.get(OperatorObjects.POD_MONITOR)).at("/metadata/namespace").asText()).isEqualTo("kafka");

        Programs.Result bad = Programs.run(GrafanaFiles.ROOT, java, GENERATOR.toString(), "--selector", "guardian", "--out", out.toString());
        assertThat(bad.exitCode()).isEqualTo(2);
        assertThat(bad.output()).contains("selector 'guardian' is not a list of PromQL label matchers");
    }

    private static List<Output> defaults() {
        return OperatorObjects.generate(Settings.defaults(), GrafanaFiles.read(GrafanaFiles.RULES), GrafanaFiles.read(GrafanaFiles.DASHBOARD));
    }

    private static Map<String, String> generate(String selector) {
        Map<String, String> files = new LinkedHashMap<>();
        OperatorObjects.generate(Settings.defaults().withSelector(selector), GrafanaFiles.read(GrafanaFiles.RULES),
                GrafanaFiles.read(GrafanaFiles.DASHBOARD)).forEach(o -> files.put(o.file(), o.text()));
        return files;
    }

    /**
     * The project's promtool tests for a variant: the scrape targets ({@code up} series) carry the
     * variant's target labels, GuardianDown expects them and GuardianAbsent the selector's equality
     * labels; and a group where only a target the selector does not match exists, which must neither
     * fire GuardianDown nor hide GuardianAbsent. The other series keep job="guardian": no other rule
     * selects on the job.
     */
    static JsonNode testsFor(Variant v) {
        ObjectNode tests = (ObjectNode) GrafanaFiles.yaml(GrafanaFiles.RULE_TESTS);
        String targetLabels = labels(v.target());
        Map<String, String> equalities = Settings.defaults().withSelector(v.selector()).equalities();
        for (JsonNode group : tests.path("tests")) {
            for (JsonNode s : group.path("input_series")) {
                String series = s.path("series").asText();
                if (series.startsWith("up{")) {
                    ((ObjectNode) s).put("series", series.replace("job=\"guardian\"", targetLabels));
                }
            }
            for (JsonNode t : group.path("alert_rule_test")) {
                String alert = t.path("alertname").asText();
                for (JsonNode expected : t.path("exp_alerts")) {
                    ObjectNode labels = (ObjectNode) expected.path("exp_labels");
                    if (alert.equals("GuardianDown")) {
                        labels.remove("job");
                        v.target().forEach(labels::put);
                    } else if (alert.equals("GuardianAbsent")) {
                        labels.remove("job");
                        equalities.forEach(labels::put);
                        ObjectNode ann = (ObjectNode) expected.path("exp_annotations");
                        ann.put("description", ann.path("description").asText().replace("job=\"guardian\"", v.selector()));
                    }
                }
            }
        }
        if (!v.selector().equals(OperatorObjects.SOURCE_SELECTOR)) {
            JsonNode absentAnnotations = null;
            for (JsonNode group : tests.path("tests")) {
                for (JsonNode t : group.path("alert_rule_test")) {
                    if (t.path("alertname").asText().equals("GuardianAbsent") && !t.path("exp_alerts").isEmpty()) {
                        absentAnnotations = t.at("/exp_alerts/0/exp_annotations");
                    }
                }
            }
            assertThat(absentAnnotations).as("the source tests have a firing GuardianAbsent").isNotNull();
            tests.withArray("tests").add(notSelected(v, equalities, absentAnnotations));
        }
        return tests;
    }

    private static JsonNode notSelected(Variant v, Map<String, String> equalities, JsonNode absentAnnotations) {
        ObjectNode group = GrafanaFiles.YAML.createObjectNode();
        group.put("name", "a target the selector " + v.selector() + " does not match");
        group.put("interval", "1m");
        ObjectNode series = group.putArray("input_series").addObject();
        series.put("series", "up{job=\"guardian\",instance=\"elsewhere:9797\"}");
        series.put("values", "0x20");
        ArrayNode checks = group.putArray("alert_rule_test");
        ObjectNode down = checks.addObject();
        down.put("eval_time", "10m");
        down.put("alertname", "GuardianDown");
        down.putArray("exp_alerts");
        ObjectNode absent = checks.addObject();
        absent.put("eval_time", "16m");
        absent.put("alertname", "GuardianAbsent");
        ObjectNode fired = absent.putArray("exp_alerts").addObject();
        ObjectNode labels = fired.putObject("exp_labels");
        labels.put("severity", "warning");
        equalities.forEach(labels::put);
        fired.set("exp_annotations", absentAnnotations.deepCopy());
        return group;
    }

    private static String labels(Map<String, String> labels) {
        List<String> parts = new ArrayList<>();
        new java.util.TreeMap<>(labels).forEach((k, val) -> parts.add(k + "=\"" + val + "\""));
        return String.join(",", parts);
    }
}
