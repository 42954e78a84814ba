package io.archiveguardian.guardian.watch;

import io.archiveguardian.guardian.disk.SpaceSample;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * One point of a filesystem's usage history, for the status page's chart and the status API.
 *
 * @param usedRatio as df's Use% (ballast included), 0..1
 */
public record UsagePoint(Instant at, double usedRatio, long usedBytes, long usableBytes) {

    static UsagePoint of(SpaceSample s) {
        return new UsagePoint(s.at(), s.usedRatio(), s.usedBytes(), s.usableBytes());
    }

    /**
     * At most {@code max} points: the span from the first to the last sample cut into {@code max}
     * equal intervals, the last sample of each interval kept (so the newest sample is always there).
     */
    static List<UsagePoint> reduce(List<SpaceSample> samples, int max) {
        List<UsagePoint> points = new ArrayList<>();
        if (samples.isEmpty()) {
            return points;
        }
        Instant first = samples.get(0).at();
        long spanNanos = Math.max(1, Duration.between(first, samples.get(samples.size() - 1).at()).toNanos());
        long previousBucket = -1;
        for (SpaceSample s : samples) {
            long bucket = Math.min(max - 1, (long) ((double) Duration.between(first, s.at()).toNanos() / spanNanos * max));
            if (bucket == previousBucket) {
                points.set(points.size() - 1, of(s));
            } else {
                points.add(of(s));
            }
            previousBucket = bucket;
        }
        return List.copyOf(points);
    }
}
