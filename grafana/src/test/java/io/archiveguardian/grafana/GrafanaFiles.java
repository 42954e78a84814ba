package io.archiveguardian.grafana;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** The files under test, found from the module directory (surefire runs in grafana/). */
final class GrafanaFiles {

    static final Path ROOT = Path.of("..").toAbsolutePath().normalize();
    static final Path RULES = ROOT.resolve("grafana/alerts/guardian-rules.yml");
    static final Path RULE_TESTS = ROOT.resolve("grafana/alerts/guardian-rules.test.yml");
    static final Path DASHBOARD = ROOT.resolve("grafana/dashboards/guardian.json");
    static final Path PROVISIONING = ROOT.resolve("grafana/dashboards/provisioning");
    static final Path METRICS_DOC = ROOT.resolve("docs/metrics.md");
    static final Path RUNBOOK = ROOT.resolve("docs/runbook-alerts.md");
    static final Path ALERTS_DOC = ROOT.resolve("docs/alerts.md");

    static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());
    static final ObjectMapper JSON = new ObjectMapper();

    private GrafanaFiles() {
    }

    static JsonNode yaml(Path file) {
        try {
            return YAML.readTree(file.toFile());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static JsonNode json(Path file) {
        try {
            return JSON.readTree(file.toFile());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static String read(Path file) {
        try {
            return Files.readString(file);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Every rule (recording and alerting) of the rule file, in file order. */
    static List<JsonNode> rules() {
        List<JsonNode> rules = new ArrayList<>();
        yaml(RULES).path("groups").forEach(g -> g.path("rules").forEach(rules::add));
        return rules;
    }

    static List<JsonNode> alertRules() {
        return rules().stream().filter(r -> r.has("alert")).toList();
    }

    static List<String> recordedNames() {
        return rules().stream().filter(r -> r.has("record")).map(r -> r.get("record").asText()).toList();
    }
}
