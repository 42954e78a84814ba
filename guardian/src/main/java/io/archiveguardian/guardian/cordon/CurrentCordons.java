package io.archiveguardian.guardian.cordon;

import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;

/**
 * The broker's {@code cordoned.log.dirs} as {@code describeConfigs} returns it: the entries of the
 * effective value and where that value comes from ({@code DYNAMIC_BROKER_CONFIG} for a per-broker
 * dynamic value, {@code STATIC_BROKER_CONFIG} for server.properties, ...; {@code DEFAULT_CONFIG}
 * when unset). {@code *} means every log dir of the broker.
 */
public record CurrentCordons(List<String> entries, String source) {

    public static final String ALL = "*";
    public static final String DYNAMIC_BROKER = "DYNAMIC_BROKER_CONFIG";

    public CurrentCordons {
        entries = List.copyOf(entries);
    }

    public static CurrentCordons none() {
        return new CurrentCordons(List.of(), "DEFAULT_CONFIG");
    }

    /** Parses a config value as Kafka does: comma-separated, blanks around entries ignored. */
    public static CurrentCordons parse(String value, String source) {
        List<String> entries = value == null ? List.of() : Arrays.stream(value.split(","))
                .map(String::trim).filter(s -> !s.isEmpty()).toList();
        return new CurrentCordons(entries, source);
    }

    public boolean all() {
        return entries.contains(ALL);
    }

    /** Whether the value names this log dir itself (not through {@code *}). */
    public boolean lists(String logDir) {
        return entries.stream().anyMatch(e -> !e.equals(ALL) && same(e, logDir));
    }

    /** Whether this log dir is cordoned by the value: named, or {@code *}. */
    public boolean covers(String logDir) {
        return all() || lists(logDir);
    }

    /** Whether the value lives in the per-broker dynamic config, where APPEND and SUBTRACT act. */
    public boolean dynamicPerBroker() {
        return DYNAMIC_BROKER.equals(source);
    }

    public String value() {
        return String.join(",", entries);
    }

    static boolean same(String a, String b) {
        return Path.of(a).normalize().equals(Path.of(b).normalize());
    }
}
