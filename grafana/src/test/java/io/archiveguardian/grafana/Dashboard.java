package io.archiveguardian.grafana;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** The dashboard JSON: its panels (rows included, nested or not) and their queries. */
final class Dashboard {

    record Target(JsonNode panel, String refId, String expr) {
        String panelTitle() {
            return panel.path("title").asText();
        }
    }

    final JsonNode json;

    Dashboard(JsonNode json) {
        this.json = json;
    }

    static Dashboard load() {
        return new Dashboard(GrafanaFiles.json(GrafanaFiles.DASHBOARD));
    }

    /** Every panel, rows included, with the panels of collapsed rows. */
    List<JsonNode> allPanels() {
        List<JsonNode> all = new ArrayList<>();
        for (JsonNode p : json.path("panels")) {
            all.add(p);
            p.path("panels").forEach(all::add);
        }
        return all;
    }

    /** Panels that show data (not rows). */
    List<JsonNode> dataPanels() {
        return allPanels().stream().filter(p -> !"row".equals(p.path("type").asText())).toList();
    }

    List<Target> targets() {
        List<Target> targets = new ArrayList<>();
        for (JsonNode p : dataPanels()) {
            for (JsonNode t : p.path("targets")) {
                targets.add(new Target(p, t.path("refId").asText(), t.path("expr").asText()));
            }
        }
        return targets;
    }

    List<JsonNode> variables() {
        List<JsonNode> vars = new ArrayList<>();
        json.path("templating").path("list").forEach(vars::add);
        return vars;
    }

    /** The query with Grafana's variables replaced, as Grafana would send it. */
    static String substitute(String expr, Map<String, String> values) {
        String out = expr;
        List<Map.Entry<String, String>> longestFirst = new ArrayList<>(values.entrySet());
        longestFirst.sort((a, b) -> b.getKey().length() - a.getKey().length());
        for (Map.Entry<String, String> e : longestFirst) {
            out = out.replace("${" + e.getKey() + "}", e.getValue()).replace("$" + e.getKey(), e.getValue());
        }
        return out;
    }
}
