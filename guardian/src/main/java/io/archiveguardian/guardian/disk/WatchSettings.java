package io.archiveguardian.guardian.disk;

import io.archiveguardian.guardian.config.GuardianConfig;
import java.time.Duration;
import org.apache.kafka.common.config.AbstractConfig;

/** The watch settings from the guardian's configuration; cross-key rules are checked here. */
public record WatchSettings(PressureThresholds thresholds, ForecastSettings forecast, Duration growthWindow) {

    public static final WatchSettings DEFAULTS = new WatchSettings(PressureThresholds.DEFAULTS, ForecastSettings.DEFAULTS,
            Duration.ofHours(1));

    /** Throws {@link IllegalArgumentException} naming the values when keys contradict each other. */
    public static WatchSettings from(AbstractConfig config) {
        PressureThresholds thresholds = new PressureThresholds(
                config.getDouble(GuardianConfig.PRESSURE_WARN_RATIO),
                config.getDouble(GuardianConfig.PRESSURE_HIGH_RATIO),
                config.getDouble(GuardianConfig.PRESSURE_CRITICAL_RATIO),
                config.getLong(GuardianConfig.PRESSURE_WARN_FLOOR_BYTES),
                config.getLong(GuardianConfig.PRESSURE_HIGH_FLOOR_BYTES),
                config.getLong(GuardianConfig.PRESSURE_CRITICAL_FLOOR_BYTES),
                config.getLong(GuardianConfig.PRESSURE_WARN_HEADROOM_BYTES),
                config.getLong(GuardianConfig.PRESSURE_HIGH_HEADROOM_BYTES),
                config.getLong(GuardianConfig.PRESSURE_CRITICAL_HEADROOM_BYTES),
                config.getDouble(GuardianConfig.PRESSURE_HYSTERESIS_RATIO),
                config.getLong(GuardianConfig.PRESSURE_HYSTERESIS_BYTES));
        ForecastSettings forecast = new ForecastSettings(
                Duration.ofMillis(config.getLong(GuardianConfig.FORECAST_WINDOW_MS)),
                Duration.ofMillis(config.getLong(GuardianConfig.FORECAST_MIN_SPAN_MS)),
                Duration.ofMillis(config.getLong(GuardianConfig.FORECAST_HORIZON_MS)),
                config.getDouble(GuardianConfig.FORECAST_DROP_RATIO));
        return new WatchSettings(thresholds, forecast, Duration.ofMillis(config.getLong(GuardianConfig.GROWTH_WINDOW_MS)));
    }
}
