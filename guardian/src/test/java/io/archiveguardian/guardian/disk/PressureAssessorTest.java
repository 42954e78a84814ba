package io.archiveguardian.guardian.disk;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class PressureAssessorTest {

    static final long GIB = 1L << 30;
    static final long TIB = 1L << 40;
    private static final Instant T0 = Instant.parse("2026-11-22T06:00:00Z");

    /** A filesystem without root-reserved blocks, {@code usedRatio} of it used. */
    static SpaceSample disk(long total, double usedRatio) {
        long usable = Math.round(total * (1 - usedRatio));
        return new SpaceSample(T0, total, usable, usable, 0);
    }

    private static PressureLevel levelOf(SpaceSample s, PressureLevel previous) {
        return PressureAssessor.assess(s, previous, PressureThresholds.DEFAULTS).level();
    }

    @Test
    void aHundredGibDiskReachesWarnHighAndCriticalAt85_90And95PercentUsed() {
        long total = 100 * GIB;
        assertThat(levelOf(disk(total, 0.849), PressureLevel.OK)).isEqualTo(PressureLevel.OK);
        assertThat(levelOf(disk(total, 0.85), PressureLevel.OK)).isEqualTo(PressureLevel.WARN);
        assertThat(levelOf(disk(total, 0.90), PressureLevel.OK)).isEqualTo(PressureLevel.HIGH);
        assertThat(levelOf(disk(total, 0.95), PressureLevel.OK)).isEqualTo(PressureLevel.CRITICAL);
        assertThat(PressureAssessor.assess(disk(total, 0.91), PressureLevel.OK, PressureThresholds.DEFAULTS).reason())
                .isEqualTo("used 91.0% >= high 90.0% and usable 9 GiB < headroom 150 GiB");
    }

    @Test
    void theUsedRatioCountsRootReservedBlocksAsUnavailableLikeDf() {
        // 100 GiB, 80 GiB used, 20 GiB free of which 5 GiB reserved for root: df shows 84.2%
        SpaceSample s = new SpaceSample(T0, 100 * GIB, 20 * GIB, 15 * GIB, 0);
        assertThat(s.usedRatio()).isEqualTo(80.0 / 95.0);
    }

    @Test
    void aTwentyTebibyteDiskIsNotJudgedByPercentAloneButByItsHeadroom() {
        long total = 20 * TIB;
        // 95% used still leaves 1 TiB: more than every headroom
        assertThat(levelOf(disk(total, 0.95), PressureLevel.OK)).isEqualTo(PressureLevel.OK);
        // 99.6% used leaves about 82 GiB: below the critical headroom of 100 GiB
        PressureAssessment a = PressureAssessor.assess(disk(total, 0.996), PressureLevel.OK, PressureThresholds.DEFAULTS);
        assertThat(a.level()).isEqualTo(PressureLevel.CRITICAL);
        assertThat(a.reason()).contains("usable 81.9 GiB < headroom 100 GiB");
    }

    @Test
    void aSmallDiskIsJudgedByTheFreeByteFloorsBeforeItsPercentageSaysSo() {
        PressureAssessment a = PressureAssessor.assess(disk(20 * GIB, 0.80), PressureLevel.OK, PressureThresholds.DEFAULTS);
        assertThat(a.level()).isEqualTo(PressureLevel.WARN);
        assertThat(a.reason()).isEqualTo("usable 4 GiB < warn floor 5 GiB");
        assertThat(levelOf(disk(20 * GIB, 0.951), PressureLevel.OK)).isEqualTo(PressureLevel.CRITICAL);
    }

    @Test
    void aDiskHoveringAroundTheHighThresholdChangesLevelOnlyTwiceNotAtEverySample() {
        double[] usedRatios = {0.899, 0.901, 0.895, 0.902, 0.885, 0.899, 0.890, 0.879, 0.885, 0.899};
        List<PressureLevel> levels = new ArrayList<>();
        PressureLevel level = PressureLevel.WARN;
        int changes = 0;
        for (double ratio : usedRatios) {
            PressureAssessment a = PressureAssessor.assess(disk(100 * GIB, ratio), level, PressureThresholds.DEFAULTS);
            changes += a.changed() ? 1 : 0;
            level = a.level();
            levels.add(level);
        }
        assertThat(levels).containsExactly(PressureLevel.WARN, PressureLevel.HIGH, PressureLevel.HIGH, PressureLevel.HIGH,
                PressureLevel.HIGH, PressureLevel.HIGH, PressureLevel.HIGH, PressureLevel.WARN, PressureLevel.WARN,
                PressureLevel.WARN);
        assertThat(changes).isEqualTo(2);
    }

    @Test
    void withoutHysteresisTheSameDiskWouldFlapAtEverySample() {
        PressureThresholds none = new PressureThresholds(0.85, 0.90, 0.95, 0, 0, 0, 0, 0, 0, 0, 0);
        PressureLevel level = PressureLevel.WARN;
        int changes = 0;
        for (double ratio : new double[] {0.899, 0.901, 0.895, 0.902, 0.885}) {
            PressureAssessment a = PressureAssessor.assess(disk(100 * GIB, ratio), level, none);
            changes += a.changed() ? 1 : 0;
            level = a.level();
        }
        assertThat(changes).isEqualTo(4);
    }

    @Test
    void aLevelHeldByHysteresisSaysSoInItsReason() {
        PressureAssessment a = PressureAssessor.assess(disk(100 * GIB, 0.945), PressureLevel.CRITICAL, PressureThresholds.DEFAULTS);
        assertThat(a.level()).isEqualTo(PressureLevel.CRITICAL);
        assertThat(a.reason()).startsWith("stays critical until below the threshold by the hysteresis margin: used 94.5% >= critical 93.0%");
    }

    @Test
    void aSharpFallDropsSeveralLevelsAtOnce() {
        assertThat(levelOf(disk(100 * GIB, 0.50), PressureLevel.CRITICAL)).isEqualTo(PressureLevel.OK);
        assertThat(levelOf(disk(100 * GIB, 0.87), PressureLevel.CRITICAL)).isEqualTo(PressureLevel.WARN);
    }

    @Test
    void ballastCountsAsUsedButIsReportedAsReclaimableWithTheLevelItsReleaseWouldGive() {
        // 100 GiB, 96 GiB used of which 4 GiB ballast
        SpaceSample s = new SpaceSample(T0, 100 * GIB, 4 * GIB, 4 * GIB, 4 * GIB);
        PressureAssessment a = PressureAssessor.assess(s, PressureLevel.HIGH, PressureThresholds.DEFAULTS);
        assertThat(a.level()).isEqualTo(PressureLevel.CRITICAL);
        assertThat(a.ballastBytes()).isEqualTo(4 * GIB);
        assertThat(a.usedRatio()).isEqualTo(0.96);
        assertThat(a.usedRatioWithoutBallast()).isEqualTo(0.92);
        assertThat(a.levelWithoutBallast()).isEqualTo(PressureLevel.HIGH);
    }

    @Test
    void thresholdsOutOfOrderAreRejectedWithTheValuesNamed() {
        assertThatThrownBy(() -> new PressureThresholds(0.9, 0.85, 0.95, 0, 0, 0, 0, 0, 0, 0, 0))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("pressure ratios must satisfy 0 < warn <= high <= critical <= 1, got warn=0.9, high=0.85, critical=0.95");
        assertThatThrownBy(() -> new PressureThresholds(0.85, 0.9, 0.95, GIB, 2 * GIB, 0, 0, 0, 0, 0, 0))
                .hasMessageStartingWith("free-byte floors must satisfy warn >= high >= critical >= 0");
    }

    @Test
    void aDiskSmallerThanTheDefaultFloorsIsNotCriticalWhileMostlyEmpty() {
        long mib = 1L << 20;
        // 200 MiB, 30% used: before the floors scaled, 140 MiB usable < 1 GiB critical floor = critical
        PressureAssessment fresh = PressureAssessor.assess(disk(200 * mib, 0.30), PressureLevel.OK, PressureThresholds.DEFAULTS);
        assertThat(fresh.level()).isEqualTo(PressureLevel.OK);
        // the floors are 30/20/10% of it: 60 MiB warn, 40 MiB high, 20 MiB critical
        assertThat(levelOf(disk(200 * mib, 0.71), PressureLevel.OK)).isEqualTo(PressureLevel.WARN);
        PressureAssessment critical = PressureAssessor.assess(disk(200 * mib, 0.905), PressureLevel.OK, PressureThresholds.DEFAULTS);
        assertThat(critical.level()).isEqualTo(PressureLevel.CRITICAL);
        assertThat(critical.reason()).isEqualTo("usable 19 MiB < critical floor 20 MiB");
        // and a level is left again: the byte hysteresis is capped at 2% of the disk, not 1 GiB
        assertThat(levelOf(disk(200 * mib, 0.50), PressureLevel.CRITICAL)).isEqualTo(PressureLevel.OK);
    }

    @Test
    void disksFromTwentyGibibytesUpKeepTheConfiguredFloors() {
        PressureAssessment a = PressureAssessor.assess(disk(20 * GIB, 0.949), PressureLevel.OK, PressureThresholds.DEFAULTS);
        assertThat(a.level()).isEqualTo(PressureLevel.HIGH);
        assertThat(a.reason()).isEqualTo("usable 1 GiB < high floor 2 GiB");
    }
}
