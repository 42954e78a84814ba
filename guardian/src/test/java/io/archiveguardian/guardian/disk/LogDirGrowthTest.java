package io.archiveguardian.guardian.disk;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class LogDirGrowthTest {

    private static final Instant NOW = Instant.parse("2026-11-22T12:00:00Z");
    private static final long KIB = 1024;

    @Test
    void steadyWritesGiveTheWriteRateAndTheIndexShare() {
        List<LogDirSample> samples = new ArrayList<>();
        for (long t = 0; t <= 3600; t += 10) {
            long log = t * 100 * KIB;
            samples.add(new LogDirSample(NOW.minusSeconds(3600 - t), log, 20L << 20, log / 200));
        }

        GrowthRates r = LogDirGrowth.rates(samples, NOW, Duration.ofHours(1), Duration.ofMinutes(5));

        assertThat(r.sufficient()).isTrue();
        assertThat(r.logBytesPerSecond()).isCloseTo(100.0 * KIB, within(1.0));
        assertThat(r.indexAllocatedBytesPerSecond()).isCloseTo(100.0 * KIB / 200, within(1.0));
        assertThat(r.indexApparentBytesPerSecond()).isZero();
        assertThat(r.indexShareOfWrites()).isCloseTo(0.005, within(0.0001));
    }

    @Test
    void deletedSegmentsDoNotCountAsNegativeWrites() {
        List<LogDirSample> samples = new ArrayList<>();
        for (long t = 0; t <= 3600; t += 10) {
            long log = t * 100 * KIB - (t / 300) * 30_000 * KIB; // a segment deleted every 5 minutes
            samples.add(new LogDirSample(NOW.minusSeconds(3600 - t), log, 0, 0));
        }

        GrowthRates r = LogDirGrowth.rates(samples, NOW, Duration.ofHours(1), Duration.ofMinutes(5));

        assertThat(r.logBytesPerSecond()).isCloseTo(100.0 * KIB, within(1.0));
    }

    @Test
    void anIdleLogDirWritesNothing() {
        List<LogDirSample> samples = new ArrayList<>();
        for (long t = 0; t <= 3600; t += 10) {
            samples.add(new LogDirSample(NOW.minusSeconds(3600 - t), 5_000_000, 10L << 20, 4096));
        }

        GrowthRates r = LogDirGrowth.rates(samples, NOW, Duration.ofHours(1), Duration.ofMinutes(5));

        assertThat(r.sufficient()).isTrue();
        assertThat(r.logBytesPerSecond()).isZero();
        assertThat(r.indexShareOfWrites()).isZero();
    }

    @Test
    void twoSamplesAreNotEnoughForARate() {
        List<LogDirSample> samples = List.of(new LogDirSample(NOW.minusSeconds(600), 0, 0, 0),
                new LogDirSample(NOW, 1_000_000, 0, 0));

        GrowthRates r = LogDirGrowth.rates(samples, NOW, Duration.ofHours(1), Duration.ofMinutes(5));

        assertThat(r.sufficient()).isFalse();
        assertThat(r.logBytesPerSecond()).isZero();
    }
}
