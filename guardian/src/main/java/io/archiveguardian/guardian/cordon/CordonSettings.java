package io.archiveguardian.guardian.cordon;

import io.archiveguardian.guardian.config.GuardianConfig;
import io.archiveguardian.guardian.config.GuardianSettings;
import io.archiveguardian.guardian.disk.PressureLevel;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.OptionalInt;

/**
 * What the cordon duty and {@code guardian cordon} work with.
 *
 * @param kafkaNames each log dir of this broker (as the guardian names it, the normalized path) with
 *                   its spelling in the broker's {@code log.dirs}: the broker accepts only entries
 *                   that equal a {@code log.dirs} entry, so {@code /data/kafka/} must stay that way
 */
public record CordonSettings(boolean enabled, PressureLevel level, OptionalInt brokerId, Path stateDir,
                             Duration timeout, Map<String, String> kafkaNames) {

    public CordonSettings {
        kafkaNames = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(kafkaNames));
    }

    public static CordonSettings of(GuardianSettings settings) {
        GuardianConfig c = settings.config();
        return new CordonSettings(c.getBoolean(GuardianConfig.CORDON_ENABLED),
                PressureLevel.valueOf(c.getString(GuardianConfig.CORDON_LEVEL).trim().toUpperCase(Locale.ROOT)),
                settings.nodeId(), Path.of(c.getString(GuardianConfig.STATE_DIR)), settings.adminTimeout(),
                kafkaNames(settings));
    }

    static Map<String, String> kafkaNames(GuardianSettings settings) {
        Map<String, String> spelled = new LinkedHashMap<>();
        String raw = settings.brokerProperties().getOrDefault("log.dirs", settings.brokerProperties().get("log.dir"));
        if (raw != null) {
            Arrays.stream(raw.split(",")).map(String::trim).filter(s -> !s.isEmpty())
                    .forEach(s -> spelled.putIfAbsent(Path.of(s).normalize().toString(), s));
        }
        Map<String, String> names = new LinkedHashMap<>();
        for (Path dir : settings.logDirs()) {
            names.put(dir.toString(), spelled.getOrDefault(dir.toString(), dir.toString()));
        }
        return names;
    }

    /** The same settings with another bound for each Admin call. */
    public CordonSettings withTimeout(Duration bound) {
        return new CordonSettings(enabled, level, brokerId, stateDir, bound, kafkaNames);
    }

    /** The broker's spelling of a log dir the guardian names {@code logDir}. */
    public String kafkaName(String logDir) {
        return kafkaNames.getOrDefault(logDir, logDir);
    }
}
