package io.archiveguardian.grafana;

import java.util.LinkedHashSet;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Which metrics an expression names, and which of them docs/metrics.md documents. */
final class MetricReferences {


    private static final Pattern STRING = Pattern.compile("\"(?:[^\"\\\\]|\\\\.)*\"|'(?:[^'\\\\]|\\\\.)*'");
    private static final Pattern NAME = Pattern.compile("(?<![A-Za-z0-9_:$])[A-Za-z_:][A-Za-z0-9_:]*");
    private static final Pattern DOCUMENTED = Pattern.compile("`(guardian_[a-z0-9_]+)`");
    private static final Set<String> SUMMARY_SUFFIXES = Set.of("_count", "_sum", "_max", "_bucket");

    private MetricReferences() {
    }

    /** Names in the expression that start with guardian_ or are recording rules (contain a colon). */
    static Set<String> referenced(String promql) {
        String code = STRING.matcher(promql).replaceAll("\"\"");
        code = code.replaceAll("\\[[^\\]]*\\]", "[]");
        Set<String> names = new LinkedHashSet<>();
        Matcher m = NAME.matcher(code);
        while (m.find()) {
            String name = m.group();
            if (name.startsWith("guardian_") || name.contains(":")) {
                names.add(name);
            }
        }
        return names;
    }

    static Set<String> documented() {
        Set<String> names = new TreeSet<>();
        Matcher m = DOCUMENTED.matcher(GrafanaFiles.read(GrafanaFiles.METRICS_DOC));
        while (m.find()) {
            names.add(m.group(1));
        }
        return names;
    }

    /** The documented family a series name belongs to (a summary's _count, _sum, _max). */
    static String family(String name, Set<String> documented) {
        if (documented.contains(name)) {
            return name;
        }
        for (String suffix : SUMMARY_SUFFIXES) {
            if (name.endsWith(suffix) && documented.contains(name.substring(0, name.length() - suffix.length()))) {
                return name.substring(0, name.length() - suffix.length());
            }
        }
        return null;
    }
}
