package io.archiveguardian.guardian.config;

import io.archiveguardian.guardian.text.Durations;
import io.archiveguardian.guardian.text.Sizes;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.kafka.common.config.ConfigDef;
import org.apache.kafka.common.config.ConfigDef.ConfigKey;
import org.apache.kafka.common.config.ConfigException;

/**
 * Every problem of a configuration at once, each one naming the key, its value, what is wrong and
 * what is allowed, with the unit: an operator corrects the file once, not once per run.
 */
final class ConfigProblems {

    /** Where every key, its range and unit are listed (shipped in the distribution's docs/). */
    static final String REFERENCE = "docs/configuration.md";

    private static final Pattern RANGE = Pattern.compile("\\[(-?[0-9.E]+)?,\\.\\.\\.(?:,(-?[0-9.E]+))?]|\\[\\.\\.\\.,(-?[0-9.E]+)]");

    private final List<String> problems = new ArrayList<>();
    private final Set<String> names = new TreeSet<>();

    /** Unknown keys and values that do not parse or are out of range, key by key. */
    static ConfigProblems of(ConfigDef definition, Map<String, ?> values) {
        ConfigProblems out = new ConfigProblems();
        Map<String, ConfigKey> keys = definition.configKeys();
        for (String name : new TreeSet<>(values.keySet())) {
            ConfigKey key = keys.get(name);
            if (key == null && ConfigProviders.isProviderKey(name)) {
                continue; // config.providers and its settings: Kafka's, resolved before the values get here
            }
            if (key == null) {
                out.names.add(name);
                out.problems.add(name + ": unknown key" + suggestion(name, keys.keySet()));
                continue;
            }
            Object value = values.get(name);
            try {
                Object parsed = ConfigDef.parseType(name, value, key.type);
                if (key.validator != null) {
                    key.validator.ensureValid(name, parsed);
                }
            } catch (ConfigException e) {
                out.add(name, value, reason(name, e), key);
            }
        }
        return out;
    }

    boolean isEmpty() {
        return problems.isEmpty();
    }

    /** A value of {@code name} that is wrong with respect to another key. */
    void relation(String name, Object value, String reason) {
        problems.add(name + "=" + value + ": " + reason);
    }

    /** The keys that are unknown or whose value was refused. */
    Set<String> names() {
        return names;
    }

    private void add(String name, Object value, String reason, ConfigKey key) {
        names.add(name);
        problems.add(name + "=" + value + ": " + reason + (reason.contains("one of") ? "" : "; allowed: " + allowed(name, key)));
    }

    /** One line for one problem, else a heading and one line per problem. */
    InvalidConfigException exception() {
        if (problems.size() == 1) {
            return new InvalidConfigException("configuration: " + problems.get(0) + ". Every key, its range and unit: "
                    + REFERENCE + ".");
        }
        return new InvalidConfigException("the configuration has " + problems.size() + " problems (every key, its range "
                + "and unit: " + REFERENCE + "):\n  " + String.join("\n  ", problems));
    }

    /** Kafka's reason without its "Invalid value X for configuration K:" preamble. */
    private static String reason(String name, ConfigException e) {
        String m = e.getMessage() == null ? "invalid" : e.getMessage();
        String marker = "for configuration " + name + ": ";
        int at = m.indexOf(marker);
        return at >= 0 ? m.substring(at + marker.length()) : m;
    }

    /** The key's range or choices with its unit: "100 to 3600000 milliseconds (100ms to 1h)". */
    static String allowed(String name, ConfigKey key) {
        String validator = key.validator == null ? "" : key.validator.toString();
        Matcher range = RANGE.matcher(validator);
        String what;
        if (range.matches()) {
            String min = range.group(1);
            String max = range.group(2) != null ? range.group(2) : range.group(3);
            what = min != null && max != null ? min + " to " + max : min != null ? "at least " + min : "at most " + max;
            what += unit(name, key.type) + readable(name, min, max);
        } else if (!validator.isEmpty()) {
            what = validator;
        } else {
            what = switch (key.type) {
                case LONG, INT, SHORT -> "a whole number" + unit(name, key.type);
                case DOUBLE -> "a number" + unit(name, key.type);
                case BOOLEAN -> "true or false";
                case LIST -> "a comma-separated list";
                default -> "text";
            };
        }
        return what;
    }

    private static String unit(String name, ConfigDef.Type type) {
        if (name.endsWith(".ms")) {
            return " milliseconds";
        }
        if (name.endsWith(".bytes")) {
            return " bytes";
        }
        if (name.endsWith(".percent")) {
            return " percent";
        }
        if (name.endsWith(".ratio")) {
            return " (a share of 1)";
        }
        return "";
    }

    /** Milliseconds and bytes also as a person reads them. */
    private static String readable(String name, String min, String max) {
        try {
            if (name.endsWith(".ms")) {
                return " (" + (min == null ? "" : Durations.exact(Duration.ofMillis(Long.parseLong(min))))
                        + (min != null && max != null ? " to " : "")
                        + (max == null ? "" : Durations.exact(Duration.ofMillis(Long.parseLong(max)))) + ")";
            }
            if (name.endsWith(".bytes") && (min == null || !"0".equals(min) || max != null)) {
                return " (" + (min == null ? "" : Sizes.human(Long.parseLong(min)))
                        + (min != null && max != null ? " to " : "") + (max == null ? "" : Sizes.human(Long.parseLong(max))) + ")";
            }
        } catch (NumberFormatException e) {
            // a range that is not whole numbers: said as it is
        }
        return "";
    }

    /** " (did you mean scan.interval.ms?)" for a key one or two edits away from a known one. */
    static String suggestion(String unknown, Set<String> known) {
        return known.stream().filter(k -> distance(k, unknown) <= 2)
                .min(Comparator.comparingInt((String k) -> distance(k, unknown)).thenComparing(k -> k))
                .map(k -> " (did you mean " + k + "?)").orElse("");
    }

    private static int distance(String a, String b) {
        int[] prev = new int[b.length() + 1];
        int[] cur = new int[b.length() + 1];
        for (int j = 0; j <= b.length(); j++) {
            prev[j] = j;
        }
        for (int i = 1; i <= a.length(); i++) {
            cur[0] = i;
            for (int j = 1; j <= b.length(); j++) {
                cur[j] = Math.min(Math.min(cur[j - 1] + 1, prev[j] + 1), prev[j - 1] + (a.charAt(i - 1) == b.charAt(j - 1) ? 0 : 1));
            }
            int[] t = prev;
            prev = cur;
            cur = t;
        }
        return prev[b.length()];
    }
}
