package io.archiveguardian.guardian.disk;

import java.time.Duration;
import java.time.Instant;
import java.util.List;

/** Pure: write rate and index growth rate of one log dir from its recent {@link LogDirSample}s. */
public final class LogDirGrowth {

    private LogDirGrowth() {
    }

    public static GrowthRates rates(List<LogDirSample> samples, Instant now, Duration window, Duration minSpan) {
        List<LogDirSample> inWindow = Series.window(samples, LogDirSample::at, now, window);
        int n = inWindow.size();
        Instant[] times = new Instant[n];
        long[] log = new long[n];
        long[] indexAllocated = new long[n];
        long[] indexApparent = new long[n];
        for (int i = 0; i < n; i++) {
            LogDirSample s = inWindow.get(i);
            times[i] = s.at();
            log[i] = s.logBytes();
            indexAllocated[i] = s.indexAllocatedBytes();
            indexApparent[i] = s.indexApparentBytes();
        }
        Series.Points logPoints = Series.bucket(times, Series.stitchDrops(log, 0), 0);
        if (logPoints.size() < 3 || logPoints.span().compareTo(minSpan) < 0) {
            return new GrowthRates(false, 0, 0, 0, n, logPoints.span());
        }
        return new GrowthRates(true, nonNegative(logPoints), nonNegative(Series.bucket(times, Series.stitchDrops(indexAllocated, 0), 0)),
                nonNegative(Series.bucket(times, Series.stitchDrops(indexApparent, 0), 0)), n, logPoints.span());
    }

    private static double nonNegative(Series.Points points) {
        double slope = TheilSen.slope(points.seconds(), points.values());
        return slope > 0 ? slope : 0;
    }
}
