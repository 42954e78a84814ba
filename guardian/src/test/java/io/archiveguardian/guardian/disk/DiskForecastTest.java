package io.archiveguardian.guardian.disk;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.function.LongUnaryOperator;
import org.junit.jupiter.api.Test;

class DiskForecastTest {

    static final long MIB = 1L << 20;
    static final long GIB = 1L << 30;
    private static final long TOTAL = 1024 * GIB;
    private static final Instant NOW = Instant.parse("2026-11-22T12:00:00Z");
    private static final ForecastSettings SETTINGS = ForecastSettings.DEFAULTS;

    /** Samples every 10 s over {@code span} up to NOW; data bytes at second t from {@code data}. */
    private static List<SpaceSample> samples(Duration span, LongUnaryOperator data, long ballast) {
        List<SpaceSample> samples = new ArrayList<>();
        long seconds = span.toSeconds();
        for (long t = 0; t <= seconds; t += 10) {
            long used = data.applyAsLong(t) + ballast;
            long free = TOTAL - used;
            samples.add(new SpaceSample(NOW.minusSeconds(seconds - t), TOTAL, free, free, ballast));
        }
        return samples;
    }

    @Test
    void steadyGrowthGivesItsRateAndTheTimeUntilUsableSpaceRunsOut() {
        long start = 500 * GIB;
        List<SpaceSample> samples = samples(Duration.ofHours(6), t -> start + t * MIB, 0);

        Forecast f = DiskForecast.forecast(samples, NOW, SETTINGS);

        long usable = TOTAL - start - 6 * 3600 * MIB;
        assertThat(f.trend()).isEqualTo(Forecast.Trend.FILLING);
        assertThat(f.bytesPerSecond()).isCloseTo(MIB, within(MIB * 0.001));
        assertThat(f.timeToFull()).hasValueSatisfying(d -> assertThat(d.toSeconds()).isCloseTo(usable / MIB, within(2L)));
        assertThat(f.samples()).isEqualTo(2161);
        assertThat(f.span()).isEqualTo(Duration.ofHours(6));
    }

    @Test
    void samplesOlderThanTheWindowAreIgnored() {
        // shrinking fast until 7 h ago, then steady growth
        List<SpaceSample> samples = samples(Duration.ofHours(12),
                t -> t < 5 * 3600 ? 900 * GIB - t * 10 * MIB : 900 * GIB - 5 * 3600 * 10 * MIB + (t - 5 * 3600) * MIB, 0);

        Forecast f = DiskForecast.forecast(samples, NOW, SETTINGS);

        assertThat(f.trend()).isEqualTo(Forecast.Trend.FILLING);
        assertThat(f.bytesPerSecond()).isCloseTo(MIB, within(MIB * 0.001));
    }

    @Test
    void aFewWildSamplesDoNotMoveTheRate() {
        List<SpaceSample> samples = samples(Duration.ofHours(6),
                t -> 500 * GIB + t * MIB + (t % 1800 == 0 ? 50 * GIB : 0), 0);

        Forecast f = DiskForecast.forecast(samples, NOW, SETTINGS);

        assertThat(f.bytesPerSecond()).isCloseTo(MIB, within(MIB * 0.01));
    }

    /** 1 MiB/s, with a five-minute burst at 20 MiB/s starting {@code burstStart} seconds into six hours. */
    private static List<SpaceSample> steadyWithBurst(long burstStart) {
        long burstEnd = burstStart + 300;
        return samples(Duration.ofHours(6), t -> 500 * GIB + t * MIB
                + Math.max(0, Math.min(t, burstEnd) - burstStart) * 19 * MIB, 0);
    }

    @Test
    void aFiveMinuteBurstAtTwentyTimesTheRateMidWindowRaisesTheRateOnlyModestly() {
        Forecast f = DiskForecast.forecast(steadyWithBurst(3 * 3600), NOW, SETTINGS);

        assertThat(f.trend()).isEqualTo(Forecast.Trend.FILLING);
        assertThat(f.bytesPerSecond()).isBetween((double) MIB, 1.5 * MIB);
    }

    @Test
    void aBurstInTheLastMinutesDoesNotBecomeTheForecastAsTwoPointsWouldMakeIt() {
        List<SpaceSample> samples = steadyWithBurst(6 * 3600 - 300);
        SpaceSample last = samples.get(samples.size() - 1);
        SpaceSample before = samples.get(samples.size() - 2);
        double twoPoints = (double) (last.dataBytes() - before.dataBytes()) / 10;

        Forecast f = DiskForecast.forecast(samples, NOW, SETTINGS);

        assertThat(twoPoints).isEqualTo(20.0 * MIB);
        assertThat(f.bytesPerSecond()).isBetween((double) MIB, 1.1 * MIB);
    }

    @Test
    void afterALargeDeletionTheFitStartsAgainFromTheDrop() {
        long dropAt = 4 * 3600;
        List<SpaceSample> samples = samples(Duration.ofHours(6),
                t -> 700 * GIB + t * 2 * MIB - (t >= dropAt ? 100 * GIB : 0), 0);

        Forecast f = DiskForecast.forecast(samples, NOW, SETTINGS);

        assertThat(f.trend()).isEqualTo(Forecast.Trend.FILLING);
        assertThat(f.bytesPerSecond()).isCloseTo(2.0 * MIB, within(MIB * 0.001));
        assertThat(f.span()).isEqualTo(Duration.ofHours(2));
        assertThat(f.samples()).isEqualTo(721);
    }

    @Test
    void smallDeletionsThatKeepUpWithWritesMeanNotFilling() {
        // retention: 1 MiB/s written, 600 MiB deleted every 10 minutes (below the 1% drop ratio)
        List<SpaceSample> samples = samples(Duration.ofHours(6), t -> 500 * GIB + t * MIB - (t / 600) * 600 * MIB, 0);

        Forecast f = DiskForecast.forecast(samples, NOW, SETTINGS);

        assertThat(f.trend()).isEqualTo(Forecast.Trend.NOT_FILLING);
        assertThat(f.timeToFull()).isEmpty();
    }

    @Test
    void anIdleDiskWithNoiseIsNotFillingAndHasNoTimeToFull() {
        List<SpaceSample> samples = samples(Duration.ofHours(6), t -> 500 * GIB + ((t * 7919) % 13) * 4096, 0);

        Forecast f = DiskForecast.forecast(samples, NOW, SETTINGS);

        assertThat(f.trend()).isEqualTo(Forecast.Trend.NOT_FILLING);
        assertThat(f.timeToFull()).isEmpty();
        assertThat(f.timeToFullWithBallastReleased()).isEmpty();
    }

    @Test
    void aShrinkingDiskIsNotFillingAndNeverGetsANegativeTimeToFull() {
        Forecast f = DiskForecast.forecast(samples(Duration.ofHours(6), t -> 800 * GIB - t * MIB, 0), NOW, SETTINGS);

        assertThat(f.trend()).isEqualTo(Forecast.Trend.NOT_FILLING);
        assertThat(f.bytesPerSecond()).isNegative();
        assertThat(f.timeToFull()).isEmpty();
        assertThat(f.detail()).isEqualTo("shrinking by 1 MiB/s");
    }

    @Test
    void growthTooSlowToFillWithinTheHorizonIsNotFilling() {
        Forecast f = DiskForecast.forecast(samples(Duration.ofHours(6), t -> 500 * GIB + t * 16, 0), NOW, SETTINGS);

        assertThat(f.trend()).isEqualTo(Forecast.Trend.NOT_FILLING);
        assertThat(f.bytesPerSecond()).isCloseTo(16.0, within(0.01));
        assertThat(f.detail()).isEqualTo("growing too slowly to fill within 365 d");
    }

    @Test
    void armingBallastIsNotGrowthAndItsReleaseIsShownAsExtraTime() {
        List<SpaceSample> samples = new ArrayList<>();
        for (long t = 0; t <= 3600; t += 10) {
            long ballast = t >= 1800 ? 50 * GIB : 0;
            long used = 500 * GIB + t * MIB + ballast;
            samples.add(new SpaceSample(NOW.minusSeconds(3600 - t), TOTAL, TOTAL - used, TOTAL - used, ballast));
        }

        Forecast f = DiskForecast.forecast(samples, NOW, SETTINGS);

        long usable = TOTAL - 500 * GIB - 3600 * MIB - 50 * GIB;
        assertThat(f.bytesPerSecond()).isCloseTo(MIB, within(MIB * 0.001));
        assertThat(f.timeToFull()).hasValueSatisfying(d -> assertThat(d.toSeconds()).isCloseTo(usable / MIB, within(2L)));
        assertThat(f.timeToFullWithBallastReleased())
                .hasValueSatisfying(d -> assertThat(d.toSeconds()).isCloseTo((usable + 50 * GIB) / MIB, within(2L)));
    }

    @Test
    void tooFewSamplesOrTooShortASpanGiveNoForecast() {
        assertThat(DiskForecast.forecast(List.of(), NOW, SETTINGS).trend()).isEqualTo(Forecast.Trend.INSUFFICIENT_DATA);
        Forecast shortSpan = DiskForecast.forecast(samples(Duration.ofMinutes(2), t -> 500 * GIB + t * GIB, 0), NOW, SETTINGS);
        assertThat(shortSpan.trend()).isEqualTo(Forecast.Trend.INSUFFICIENT_DATA);
        assertThat(shortSpan.timeToFull()).isEmpty();
        assertThat(shortSpan.detail()).isEqualTo("need 3 samples over at least 5 min");
    }

    @Test
    void aFullDiskIsFullWithZeroTimeLeft() {
        List<SpaceSample> samples = samples(Duration.ofHours(1), t -> TOTAL - (3600 - t) * MIB, 0);

        Forecast f = DiskForecast.forecast(samples, NOW, SETTINGS);

        assertThat(f.trend()).isEqualTo(Forecast.Trend.FULL);
        assertThat(f.timeToFull()).hasValue(Duration.ZERO);
    }
}
