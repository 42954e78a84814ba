package io.archiveguardian.guardian.ballast;

import static org.assertj.core.api.Assertions.assertThat;

import io.archiveguardian.guardian.config.GuardianConfig;
import java.util.Map;
import java.util.OptionalLong;
import org.junit.jupiter.api.Test;

/** The plan the sidecar arms a missing reserve with: reserve.size, or the recommendation when smaller. */
class BallastAutoPlanTest {

    static final long MIB = 1024 * 1024;
    static final long GIB = 1024 * MIB;

    static BallastSettings settings(Map<String, String> keys) {
        return BallastSettings.from(GuardianConfig.of(keys));
    }

    @Test
    void withoutAMeasuredRateTheConfiguredReserveIsArmed() {
        assertThat(settings(Map.of()).autoPlan(100 * GIB, OptionalLong.empty()).tierBytes())
                .containsExactly(1280 * MIB, 1280 * MIB, 1280 * MIB, 1280 * MIB);
        assertThat(settings(Map.of()).autoPlan(100 * GIB, OptionalLong.empty()).totalBytes()).isEqualTo(5 * GIB);
    }

    @Test
    void aSmallerRecommendationSizesTheReserveInTheConfiguredTiers() {
        assertThat(settings(Map.of()).autoPlan(100 * GIB, OptionalLong.of(2 * GIB)).tierBytes())
                .containsExactly(512 * MIB, 512 * MIB, 512 * MIB, 512 * MIB);
    }

    @Test
    void aLargerRecommendationIsCappedByReserveSize() {
        assertThat(settings(Map.of("reserve.size", "1G")).autoPlan(100 * GIB, OptionalLong.of(30 * GIB)).totalBytes())
                .isEqualTo(GIB);
    }

    @Test
    void aTinyRecommendationGetsFewerTiersOfAtLeastOneMebibyte() {
        assertThat(settings(Map.of()).autoPlan(100 * GIB, OptionalLong.of(3 * MIB)).tierBytes())
                .containsExactly(MIB, MIB, MIB);
        assertThat(settings(Map.of()).autoPlan(100 * GIB, OptionalLong.of(1000)).tierBytes()).containsExactly(MIB);
    }

    @Test
    void theFirstTierIsKeptWhenItFitsTheRecommendation() {
        BallastSettings s = settings(Map.of("reserve.first.tier.size", "256M"));
        assertThat(s.autoPlan(100 * GIB, OptionalLong.of(1024 * MIB)).tierBytes())
                .containsExactly(256 * MIB, 256 * MIB, 256 * MIB, 256 * MIB);
        assertThat(s.autoPlan(100 * GIB, OptionalLong.of(200 * MIB)).tierBytes())
                .containsExactly(50 * MIB, 50 * MIB, 50 * MIB, 50 * MIB);
    }
}
