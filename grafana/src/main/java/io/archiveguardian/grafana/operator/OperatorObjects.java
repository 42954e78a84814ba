package io.archiveguardian.grafana.operator;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Generates the Prometheus Operator objects from the one source of the rules and the dashboard: a
 * {@code PrometheusRule} (grafana/alerts/guardian-rules.yml), a {@code PodMonitor} that scrapes the
 * sidecars, and a {@code ConfigMap} carrying grafana/dashboards/guardian.json for Grafana's dashboard
 * sidecar (label {@code grafana_dashboard: "1"}); also the rule file itself with the selector applied,
 * for a Prometheus without the operator.
 *
 * <p>The selector of the sidecars' scrape job is a setting of the generation, as monitoring mixins do
 * with {@code _config}: default {@code job="guardian"}, which the rules ask for in {@code up{...}}.
 * Every {@code job="guardian"} of the rule file becomes the selector. When the selector names the job
 * ({@code job="..."}), the PodMonitor sets that job on its targets, so what it scrapes is what the rules
 * select; without one (a selector on {@code namespace}, {@code container}, ...), the operator's own
 * labels apply.
 *
 * <p>Only the JDK: it runs from a checkout or an unpacked distribution as a single source file,
 * {@code java OperatorObjects.java --selector 'job="kafka/guardian"' --out DIR} (see --help), and the
 * grafana module's OperatorObjectsTest checks that grafana/operator/ is what it generates by default.
 */
public final class OperatorObjects {

    /** The selector the rule file is written with. */
    public static final String SOURCE_SELECTOR = "job=\"guardian\"";

    public static final String RULE_FILE = "guardian-rules.yml";
    public static final String PROMETHEUS_RULE = "prometheus-rule.yaml";
    public static final String POD_MONITOR = "pod-monitor.yaml";
    public static final String DASHBOARD_CONFIG_MAP = "dashboard-configmap.yaml";

    private static final String MATCHER = "\\s*([a-zA-Z_][a-zA-Z0-9_]*)\\s*(=~|!~|!=|=)\\s*\"((?:[^\"\\\\]|\\\\.)*)\"\\s*";
    private static final Pattern ONE_MATCHER = Pattern.compile(MATCHER);
    private static final Pattern SELECTOR = Pattern.compile(MATCHER + "(?:," + MATCHER + ")*");

    /**
     * The settings of a generation.
     *
     * @param selector    label matchers of the sidecars' scrape job, as inside {@code up{...}}
     * @param name        metadata.name of the three objects
     * @param namespace   metadata.namespace, or empty to leave it to {@code kubectl -n}
     * @param labels      extra metadata labels of every object (the ones your Prometheus's
     *                    ruleSelector and podMonitorSelector ask for, such as {@code release})
     * @param podSelector matchLabels of the broker pods that carry the sidecar
     * @param port        name of the sidecar's container port (the pod snippet calls it guardian)
     */
    public record Settings(String selector, String name, String namespace, Map<String, String> labels,
            Map<String, String> podSelector, String port) {

        public Settings {
            if (selector == null || !SELECTOR.matcher(selector).matches() || selector.contains("#")
                    || selector.contains("'") || selector.contains("{") || selector.contains("}")) {
                throw new IllegalArgumentException("selector '" + selector + "' is not a list of PromQL label matchers"
                        + " such as job=\"guardian\" or namespace=\"kafka\",container=\"guardian\" (no #, ', { or })");
            }
            requireName("name", name);
            if (!namespace.isEmpty()) {
                requireName("namespace", namespace);
            }
            if (podSelector.isEmpty()) {
                throw new IllegalArgumentException("the pod selector needs at least one label (--pod-label KEY=VALUE)");
            }
            requireName("port", port);
            labels = java.util.Collections.unmodifiableMap(new java.util.TreeMap<>(labels));
            podSelector = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(podSelector));
        }

        public static Settings defaults() {
            return new Settings(SOURCE_SELECTOR, "guardian", "", Map.of(),
                    Map.of("app.kubernetes.io/name", "kafka"), "guardian");
        }

        public Settings withSelector(String newSelector) {
            return new Settings(newSelector, name, namespace, labels, podSelector, port);
        }

        /** The value of an equality matcher on job, if the selector has one. */
        public java.util.Optional<String> job() {
            return equalities().entrySet().stream().filter(e -> e.getKey().equals("job")).map(Map.Entry::getValue).findFirst();
        }

        /** The selector's equality matchers, label to value, in their order. */
        public Map<String, String> equalities() {
            Map<String, String> eq = new LinkedHashMap<>();
            for (String part : splitMatchers(selector)) {
                Matcher m = ONE_MATCHER.matcher(part);
                if (m.matches() && m.group(2).equals("=")) {
                    eq.put(m.group(1), m.group(3));
                }
            }
            return eq;
        }

        private static void requireName(String what, String value) {
            if (value == null || !value.matches("[a-z0-9]([-a-z0-9.]*[a-z0-9])?")) {
                throw new IllegalArgumentException(what + " '" + value + "' is not a Kubernetes name (lower case letters,"
                        + " digits, '-' and '.')");
            }
        }
    }

    /** One generated file: its name in the output directory and its text. */
    public record Output(String file, String text) {
    }

    private OperatorObjects() {
    }

    /** The four files for these settings, from the rule file's and the dashboard's text. */
    public static List<Output> generate(Settings settings, String rules, String dashboard) {
        String applied = applySelector(rules, settings.selector());
        List<Output> out = new ArrayList<>();
        out.add(new Output(RULE_FILE, applied));
        out.add(new Output(PROMETHEUS_RULE, prometheusRule(settings, applied)));
        out.add(new Output(POD_MONITOR, podMonitor(settings)));
        out.add(new Output(DASHBOARD_CONFIG_MAP, dashboardConfigMap(settings, dashboard)));
        return out;
    }

    /** The rule file with every job="guardian" replaced by the selector. */
    static String applySelector(String rules, String selector) {
        int uses = count(rules, SOURCE_SELECTOR);
        if (uses < 2) {
            throw new IllegalArgumentException("the rule file names " + SOURCE_SELECTOR + " " + uses
                    + " time(s); GuardianDown and GuardianAbsent select on it: is it the guardian's rule file?");
        }
        return rules.replace(SOURCE_SELECTOR, selector.strip());
    }

    private static String prometheusRule(Settings s, String rules) {
        int groups = rules.indexOf("\ngroups:");
        if (groups < 0) {
            throw new IllegalArgumentException("the rule file has no top-level 'groups:'");
        }
        StringBuilder b = header(s, "PrometheusRule", "grafana/alerts/" + RULE_FILE);
        b.append("spec:\n");
        for (String line : rules.substring(groups + 1).split("\n", -1)) {
            b.append(line.isEmpty() ? "" : "  " + line).append('\n');
        }
        return trimEnd(b);
    }

    private static String podMonitor(Settings s) {
        StringBuilder b = header(s, "PodMonitor", "its settings (pod labels, port, selector)");
        b.append("spec:\n");
        b.append("  selector:\n    matchLabels:\n");
        s.podSelector().forEach((k, v) -> b.append("      ").append(k).append(": ").append(quote(v)).append('\n'));
        b.append("  podMetricsEndpoints:\n");
        b.append("    - port: ").append(s.port()).append('\n');
        b.append("      path: /metrics\n");
        b.append("      interval: 30s\n");
        s.job().ifPresent(job -> {
            b.append("      # The rules select ").append(s.selector().strip()).append(": give the targets that job (the operator\n");
            b.append("      # would name it <namespace>/<PodMonitor name>).\n");
            b.append("      relabelings:\n");
            b.append("        - targetLabel: job\n");
            b.append("          replacement: ").append(quote(job)).append('\n');
        });
        return trimEnd(b);
    }

    private static String dashboardConfigMap(Settings s, String dashboard) {
        Map<String, String> labels = new LinkedHashMap<>(s.labels());
        labels.put("grafana_dashboard", "1");
        StringBuilder b = header(s, "ConfigMap", "grafana/dashboards/guardian.json", labels, "v1");
        b.append("data:\n");
        b.append("  guardian.json: |\n");
        for (String line : dashboard.strip().split("\n", -1)) {
            b.append(line.isEmpty() ? "" : "    " + line).append('\n');
        }
        return trimEnd(b);
    }

    private static StringBuilder header(Settings s, String kind, String source) {
        return header(s, kind, source, s.labels(), "monitoring.coreos.com/v1");
    }

    private static StringBuilder header(Settings s, String kind, String source, Map<String, String> extraLabels, String apiVersion) {
        StringBuilder b = new StringBuilder();
        b.append("# Generated from ").append(source).append(" by OperatorObjects (grafana/operator/README.md)\n");
        b.append("# with selector ").append(s.selector().strip()).append(". Do not edit: generate again.\n");
        b.append("apiVersion: ").append(apiVersion).append('\n');
        b.append("kind: ").append(kind).append('\n');
        b.append("metadata:\n");
        b.append("  name: ").append(s.name()).append('\n');
        if (!s.namespace().isEmpty()) {
            b.append("  namespace: ").append(s.namespace()).append('\n');
        }
        b.append("  labels:\n");
        b.append("    app.kubernetes.io/name: kafka-archive-guardian\n");
        extraLabels.forEach((k, v) -> b.append("    ").append(k).append(": ").append(quote(v)).append('\n'));
        return b;
    }

    private static String quote(String value) {
        return "\"" + value.replace("\\", "\\\\").replace("\"", "\\\"") + "\"";
    }

    private static String trimEnd(StringBuilder b) {
        String t = b.toString();
        while (t.endsWith("\n\n")) {
            t = t.substring(0, t.length() - 1);
        }
        return t.endsWith("\n") ? t : t + "\n";
    }

    private static int count(String text, String what) {
        int n = 0;
        for (int i = text.indexOf(what); i >= 0; i = text.indexOf(what, i + what.length())) {
            n++;
        }
        return n;
    }

    private static List<String> splitMatchers(String selector) {
        List<String> parts = new ArrayList<>();
        boolean quoted = false;
        StringBuilder cur = new StringBuilder();
        for (int i = 0; i < selector.length(); i++) {
            char c = selector.charAt(i);
            if (c == '\\' && quoted && i + 1 < selector.length()) {
                cur.append(c).append(selector.charAt(++i));
                continue;
            }
            if (c == '"') {
                quoted = !quoted;
            }
            if (c == ',' && !quoted) {
                parts.add(cur.toString());
                cur.setLength(0);
            } else {
                cur.append(c);
            }
        }
        parts.add(cur.toString());
        return parts;
    }

    // ---- command line -------------------------------------------------------------------------

    private static final String USAGE = """
            Usage: java OperatorObjects.java [--selector MATCHERS] [--name NAME] [--namespace NS]
                     [--label KEY=VALUE]... [--pod-label KEY=VALUE]... [--port NAME]
                     [--rules FILE] [--dashboard FILE] --out DIR
            Writes guardian-rules.yml, prometheus-rule.yaml, pod-monitor.yaml and dashboard-configmap.yaml
            into DIR, from the rule file and the dashboard of the guardian.
              --selector   label matchers of the sidecars' scrape job (default job="guardian")
              --name       name of the objects (default guardian)
              --namespace  their namespace (default: none, kubectl -n decides)
              --label      a label of every object, such as release=kube-prometheus-stack (repeatable)
              --pod-label  a label of the broker pods to scrape (default app.kubernetes.io/name=kafka; repeatable)
              --port       the sidecar's container port name (default guardian)
              --rules      the rule file (default grafana/alerts/guardian-rules.yml)
              --dashboard  the dashboard (default grafana/dashboards/guardian.json)
            Exit codes: 0 written, 2 bad usage, 1 a file could not be read or written.""";

    public static void main(String[] args) {
        try {
            System.exit(run(args));
        } catch (IllegalArgumentException e) {
            System.err.println("OperatorObjects: " + e.getMessage());
            System.err.println(USAGE);
            System.exit(2);
        } catch (UncheckedIOException e) {
            System.err.println("OperatorObjects: " + e.getCause());
            System.exit(1);
        }
    }

    static int run(String[] args) {
        Settings d = Settings.defaults();
        String selector = d.selector();
        String name = d.name();
        String namespace = d.namespace();
        Map<String, String> labels = new LinkedHashMap<>();
        Map<String, String> podLabels = new LinkedHashMap<>();
        String port = d.port();
        Path rules = Path.of("grafana/alerts/guardian-rules.yml");
        Path dashboard = Path.of("grafana/dashboards/guardian.json");
        Path out = null;
        for (int i = 0; i < args.length; i++) {
            String a = args[i];
            if (a.equals("--help") || a.equals("-h")) {
                System.out.println(USAGE);
                return 0;
            }
            if (i + 1 >= args.length) {
                throw new IllegalArgumentException("option '" + a + "' needs a value, or is not an option");
            }
            String v = args[++i];
            switch (a) {
                case "--selector" -> selector = v;
                case "--name" -> name = v;
                case "--namespace" -> namespace = v;
                case "--label" -> put(labels, v, a);
                case "--pod-label" -> put(podLabels, v, a);
                case "--port" -> port = v;
                case "--rules" -> rules = Path.of(v);
                case "--dashboard" -> dashboard = Path.of(v);
                case "--out" -> out = Path.of(v);
                default -> throw new IllegalArgumentException("unknown option '" + a + "'");
            }
        }
        if (out == null) {
            throw new IllegalArgumentException("--out DIR is required");
        }
        Settings s = new Settings(selector, name, namespace, labels, podLabels.isEmpty() ? d.podSelector() : podLabels, port);
        try {
            String rulesText = Files.readString(rules, StandardCharsets.UTF_8);
            String dashboardText = Files.readString(dashboard, StandardCharsets.UTF_8);
            Files.createDirectories(out);
            for (Output o : generate(s, rulesText, dashboardText)) {
                Files.writeString(out.resolve(o.file()), o.text(), StandardCharsets.UTF_8);
                System.out.println("wrote " + out.resolve(o.file()));
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return 0;
    }

    private static void put(Map<String, String> map, String keyValue, String option) {
        int eq = keyValue.indexOf('=');
        if (eq <= 0) {
            throw new IllegalArgumentException(option + " '" + keyValue + "' is not KEY=VALUE");
        }
        map.put(keyValue.substring(0, eq), keyValue.substring(eq + 1));
    }
}
