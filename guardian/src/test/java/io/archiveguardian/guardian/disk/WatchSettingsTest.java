package io.archiveguardian.guardian.disk;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.archiveguardian.guardian.config.GuardianConfig;
import io.archiveguardian.guardian.config.InvalidConfigException;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;

class WatchSettingsTest {

    @Test
    void theDefaultKeysGiveTheDocumentedDefaults() {
        assertThat(WatchSettings.from(GuardianConfig.of(Map.of()))).isEqualTo(WatchSettings.DEFAULTS);
    }

    @Test
    void keysOverrideThresholdsAndWindows() {
        WatchSettings s = WatchSettings.from(GuardianConfig.of(Map.of(
                "pressure.warn.ratio", "0.7", "pressure.critical.floor.bytes", "0",
                "forecast.window.ms", "3600000", "growth.window.ms", "600000")));

        assertThat(s.thresholds().warnRatio()).isEqualTo(0.7);
        assertThat(s.thresholds().criticalFloorBytes()).isZero();
        assertThat(s.forecast().window()).isEqualTo(Duration.ofHours(1));
        assertThat(s.growthWindow()).isEqualTo(Duration.ofMinutes(10));
    }

    @Test
    void aRatioOutsideZeroToOneIsAConfigurationErrorNamingTheKey() {
        assertThatThrownBy(() -> GuardianConfig.of(Map.of("pressure.high.ratio", "1.5")))
                .isInstanceOf(InvalidConfigException.class)
                .hasMessageContaining("pressure.high.ratio");
    }

    @Test
    void ratiosOutOfOrderAreRejectedOnTheKeyThatBreaksTheOrder() {
        assertThatThrownBy(() -> WatchSettings.from(GuardianConfig.of(Map.of("pressure.warn.ratio", "0.92"))))
                .isInstanceOf(InvalidConfigException.class)
                .hasMessageContaining("pressure.warn.ratio=0.92: must be at most pressure.high.ratio, which is 0.9 (its default)");
    }
}
