package io.archiveguardian.guardian.watch;

import static org.assertj.core.api.Assertions.assertThat;

import io.archiveguardian.guardian.disk.SpaceSample;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class WatchHistoryTest {

    static final Instant T0 = Instant.parse("2026-01-01T00:00:00Z");

    @Test
    void samplesOlderThanTheWindowAreForgotten() {
        History<SpaceSample> h = new History<>(SpaceSample::at, Duration.ofMinutes(10));
        for (int s = 0; s <= 20; s++) {
            h.add(sample(T0.plusSeconds(60L * s), 0), T0.plusSeconds(60L * s));
        }
        assertThat(h.samples()).extracting(SpaceSample::at).first().isEqualTo(T0.plusSeconds(600));
        assertThat(h.size()).isEqualTo(11);
        h.prune(T0.plusSeconds(60L * 40));
        assertThat(h.isEmpty()).isTrue();
    }

    @Test
    void passesFasterThanTheSpacingAreThinnedButTheNewestSampleIsKept() {
        Duration window = Duration.ofHours(1);
        History<SpaceSample> h = new History<>(SpaceSample::at, window);
        Instant now = T0;
        for (int s = 0; s < 36_000; s++) { // a pass every 100 ms for an hour
            now = T0.plusMillis(100L * s);
            h.add(sample(now, s), now);
        }
        List<SpaceSample> kept = h.samples();
        // kept samples are at least the spacing (0.88 s) apart, so 0.9 s apart with passes every 0.1 s
        assertThat(kept.size()).isEqualTo(4001).isLessThanOrEqualTo(History.MAX_SAMPLES + 1);
        assertThat(kept.get(kept.size() - 1).at()).isEqualTo(now);
        Duration spacing = window.dividedBy(History.MAX_SAMPLES);
        for (int i = 1; i < kept.size() - 1; i++) {
            assertThat(Duration.between(kept.get(i - 1).at(), kept.get(i).at())).isGreaterThanOrEqualTo(spacing);
        }
    }

    @Test
    void aClockThatGoesBackStartsTheHistoryAfresh() {
        History<SpaceSample> h = new History<>(SpaceSample::at, Duration.ofHours(1));
        h.add(sample(T0.plusSeconds(120), 0), T0.plusSeconds(120));
        h.add(sample(T0.plusSeconds(180), 0), T0.plusSeconds(180));
        h.add(sample(T0.plusSeconds(60), 0), T0.plusSeconds(60));
        assertThat(h.samples()).extracting(SpaceSample::at).containsExactly(T0.plusSeconds(60));
    }

    @Test
    void theChartKeepsTheLastSampleOfEachIntervalAndAtMostMaxPoints() {
        List<SpaceSample> samples = new ArrayList<>();
        for (int s = 0; s < 600; s++) {
            samples.add(sample(T0.plusSeconds(s), s));
        }
        List<UsagePoint> points = UsagePoint.reduce(samples, 60);
        assertThat(points).hasSize(60);
        assertThat(points.get(0).at()).isEqualTo(T0.plusSeconds(9));
        assertThat(points.get(59).at()).isEqualTo(T0.plusSeconds(599));
        assertThat(points.get(59).usedBytes()).isEqualTo(599);
        assertThat(UsagePoint.reduce(samples.subList(0, 5), 60)).hasSize(5);
        assertThat(UsagePoint.reduce(List.of(), 60)).isEmpty();
    }

    private static SpaceSample sample(Instant at, long used) {
        return new SpaceSample(at, 1_000_000, 1_000_000 - used, 1_000_000 - used, 0);
    }
}
