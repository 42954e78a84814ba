package io.archiveguardian.grafana;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code promtool check rules} and {@code promtool test rules} on the project's rule file, and
 * proof that the unit tests would catch a broken rule: for each alert rule, a copy of the file with
 * that rule never firing, firing without its {@code for:}, or with every threshold moved onto its
 * boundary ({@code <} to {@code <=}, ...) must make {@code promtool test rules} fail. That is how a
 * "less than 10 GiB" alert that checks 1 GiB would be caught.
 */
class PromtoolRulesTest {

    @TempDir
    Path tmp;

    @BeforeAll
    static void promtool() {
        Programs.require(Programs.PROMTOOL);
    }

    @Test
    void theRuleFileIsValid() {
        Programs.Result r = Programs.run(GrafanaFiles.RULES.getParent(), Programs.PROMTOOL, "check", "rules", GrafanaFiles.RULES.toString());
        assertThat(r.exitCode()).as(r.output()).isZero();
        assertThat(r.output()).contains("SUCCESS: " + GrafanaFiles.rules().size() + " rules found");
    }

    /**
     * docs/alerts.md tells operators whose docs live elsewhere to rewrite the runbook_url prefix
     * with one {@code sed -i}: run exactly that line on a copy of the rule file, and the result
     * must still load and point every alert at the new place, anchor kept.
     */
    @Test
    void theRunbookUrlRewriteInTheDocsKeepsTheRulesValidAndMovesEveryLink() throws Exception {
        String doc = GrafanaFiles.read(GrafanaFiles.ALERTS_DOC);
        java.util.regex.Matcher m = java.util.regex.Pattern.compile("`(sed -i '[^']+' guardian-rules\\.yml)`").matcher(doc);
        assertThat(m.find()).as("docs/alerts.md gives the sed command").isTrue();
        String sed = m.group(1);
        String newPrefix = sed.split("#")[2];
        Path copy = Files.copy(GrafanaFiles.RULES, tmp.resolve("guardian-rules.yml"));
        Programs.Result r = Programs.run(tmp, "sh", "-c", sed);
        assertThat(r.exitCode()).as(r.output()).isZero();

        Programs.Result check = Programs.run(tmp, Programs.PROMTOOL, "check", "rules", copy.toString());
        assertThat(check.exitCode()).as(check.output()).isZero();
        List<String> before = new ArrayList<>();
        GrafanaFiles.alertRules().forEach(a -> before.add(a.at("/annotations/runbook_url").asText()));
        List<String> after = new ArrayList<>();
        for (JsonNode group : GrafanaFiles.yaml(copy).path("groups")) {
            for (JsonNode rule : group.path("rules")) {
                if (rule.has("alert")) {
                    after.add(rule.at("/annotations/runbook_url").asText());
                }
            }
        }
        assertThat(after).hasSameSizeAs(before);
        for (int i = 0; i < before.size(); i++) {
            String anchor = before.get(i).substring(before.get(i).indexOf("runbook-alerts.md#"));
            assertThat(after.get(i)).isEqualTo(newPrefix + anchor);
        }
    }

    @Test
    void everyAlertPassesItsUnitTests() {
        Programs.Result r = Programs.run(GrafanaFiles.RULE_TESTS.getParent(), Programs.PROMTOOL, "test", "rules",
                GrafanaFiles.RULE_TESTS.getFileName().toString());
        assertThat(r.exitCode()).as(r.output()).isZero();
        assertThat(r.output()).contains("SUCCESS");
    }

    @Test
    void everyAlertHasAFiringAndAMustNotFireCase() {
        JsonNode tests = GrafanaFiles.yaml(GrafanaFiles.RULE_TESTS);
        for (JsonNode alert : GrafanaFiles.alertRules()) {
            String name = alert.get("alert").asText();
            boolean fires = false;
            boolean silent = false;
            for (JsonNode group : tests.path("tests")) {
                for (JsonNode t : group.path("alert_rule_test")) {
                    if (t.path("alertname").asText().equals(name)) {
                        boolean empty = t.path("exp_alerts").isEmpty();
                        fires |= !empty;
                        silent |= empty;
                    }
                }
            }
            assertThat(fires).as(name + " has a test where it fires").isTrue();
            assertThat(silent).as(name + " has a test where it must not fire").isTrue();
        }
    }

    /** The mutant runs below are only worth something if the unmutated file passes the same way. */
    @Test
    void theUnmutatedRulesPassEveryAlertsOwnTestGroups() throws Exception {
        for (String alert : new java.util.TreeSet<>(GrafanaFiles.alertRules().stream().map(a -> a.get("alert").asText()).toList())) {
            assertThat(passes(GrafanaFiles.yaml(GrafanaFiles.RULES), alert)).as(alert).isTrue();
        }
    }

    @Test
    void aRuleThatNeverFiresFailsTheUnitTests() throws Exception {
        assertEveryMutantFails("never fires", expr -> "(" + expr.strip() + ") and on() vector(0) > 1");
    }

    @Test
    void aRuleWithoutItsForDurationFailsTheUnitTests() throws Exception {
        List<String> survivors = new ArrayList<>();
        List<JsonNode> alerts = GrafanaFiles.alertRules();
        for (int i = 0; i < alerts.size(); i++) {
            if (!alerts.get(i).has("for")) {
                continue;
            }
            JsonNode file = GrafanaFiles.yaml(GrafanaFiles.RULES);
            ObjectNode rule = nthAlert(file, i);
            rule.put("for", "0s");
            if (passes(file, rule.get("alert").asText())) {
                survivors.add(rule.get("alert").asText() + "#" + i);
            }
        }
        assertThat(survivors).as("alerts whose for: duration no unit test notices").isEmpty();
    }

    @Test
    void aThresholdMovedOntoItsBoundaryFailsTheUnitTests() throws Exception {
        List<String> survivors = new ArrayList<>();
        List<JsonNode> alerts = GrafanaFiles.alertRules();
        for (int i = 0; i < alerts.size(); i++) {
            String expr = alerts.get(i).get("expr").asText();
            String moved = onTheBoundary(expr);
            if (moved.equals(expr)) {
                continue; // == 1, == 0, absent(): no boundary to move
            }
            JsonNode file = GrafanaFiles.yaml(GrafanaFiles.RULES);
            ObjectNode rule = nthAlert(file, i);
            rule.put("expr", moved);
            if (passes(file, rule.get("alert").asText())) {
                survivors.add(rule.get("alert").asText() + "#" + i + ": " + moved);
            }
        }
        assertThat(survivors).as("alerts whose threshold boundary no unit test checks").isEmpty();
    }

    /** a < b becomes a <= b, a > b becomes a >= b, a >= b becomes a > b (comparisons only). */
    static String onTheBoundary(String expr) {
        StringBuilder out = new StringBuilder();
        for (int i = 0; i < expr.length(); i++) {
            char c = expr.charAt(i);
            char next = i + 1 < expr.length() ? expr.charAt(i + 1) : ' ';
            if ((c == '<' || c == '>') && next == '=') {
                out.append(c);
                i++;
            } else if ((c == '<' || c == '>') && next == ' ') {
                out.append(c).append('=');
            } else {
                out.append(c);
            }
        }
        return out.toString();
    }

    private void assertEveryMutantFails(String what, java.util.function.UnaryOperator<String> mutate) throws Exception {
        List<String> survivors = new ArrayList<>();
        int n = GrafanaFiles.alertRules().size();
        for (int i = 0; i < n; i++) {
            JsonNode file = GrafanaFiles.yaml(GrafanaFiles.RULES);
            ObjectNode rule = nthAlert(file, i);
            rule.put("expr", mutate.apply(rule.get("expr").asText()));
            if (passes(file, rule.get("alert").asText())) {
                survivors.add(rule.get("alert").asText() + "#" + i);
            }
        }
        assertThat(survivors).as("alerts that '" + what + "' without a unit test noticing").isEmpty();
    }

    private static ObjectNode nthAlert(JsonNode file, int index) {
        int seen = 0;
        for (JsonNode group : file.path("groups")) {
            for (JsonNode rule : group.path("rules")) {
                if (rule.has("alert") && seen++ == index) {
                    return (ObjectNode) rule;
                }
            }
        }
        throw new IllegalArgumentException("no alert #" + index);
    }

    /**
     * Whether promtool's unit tests of this alert pass against this variant of the rule file. Only
     * the test groups that assert on the alert run (the others cannot see a change to it), which
     * keeps the mutants fast.
     */
    private boolean passes(JsonNode rules, String alert) throws Exception {
        Path dir = Files.createTempDirectory(tmp, "mutant");
        GrafanaFiles.YAML.writeValue(dir.resolve("guardian-rules.yml").toFile(), rules);
        ObjectNode tests = (ObjectNode) GrafanaFiles.yaml(GrafanaFiles.RULE_TESTS);
        com.fasterxml.jackson.databind.node.ArrayNode groups = tests.putArray("tests");
        GrafanaFiles.yaml(GrafanaFiles.RULE_TESTS).path("tests").forEach(g -> {
            boolean asserts = false;
            for (JsonNode t : g.path("alert_rule_test")) {
                asserts |= t.path("alertname").asText().equals(alert);
            }
            if (asserts) {
                groups.add(g);
            }
        });
        assertThat(groups).as("test groups of " + alert).isNotEmpty();
        GrafanaFiles.YAML.writeValue(dir.resolve("guardian-rules.test.yml").toFile(), tests);
        Programs.Result check = Programs.run(dir, Programs.PROMTOOL, "check", "rules", "guardian-rules.yml");
        assertThat(check.exitCode()).as("the mutant is a valid rule file: " + check.output()).isZero();
        return Programs.run(dir, Programs.PROMTOOL, "test", "rules", "guardian-rules.test.yml").exitCode() == 0;
    }
}
