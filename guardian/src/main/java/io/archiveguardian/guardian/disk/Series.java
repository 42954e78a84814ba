package io.archiveguardian.guardian.disk;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * A time series of one quantity (bytes) prepared for a robust fit: cut to a window, optionally
 * cut after its last large drop or with drops stitched out, and reduced to at most
 * {@link #MAX_BUCKETS} medians so a 6-hour window of 10-second samples fits in a few thousand pairs.
 */
final class Series {

    static final int MAX_BUCKETS = 60;

    /** A point: seconds since the first point, and a value. */
    record Points(double[] seconds, double[] values, Duration span) {
        int size() {
            return seconds.length;
        }
    }

    private Series() {
    }

    static <T> List<T> window(List<T> samples, java.util.function.Function<T, Instant> time, Instant now, Duration window) {
        Instant from = now.minus(window);
        List<T> inWindow = new ArrayList<>();
        for (T s : samples) {
            Instant at = time.apply(s);
            if (!at.isBefore(from) && !at.isAfter(now)) {
                inWindow.add(s);
            }
        }
        inWindow.sort(java.util.Comparator.comparing(time));
        return inWindow;
    }

    /** Index of the first sample after the last drop larger than {@code dropBytes}; 0 if none. */
    static int afterLastDrop(long[] values, long dropBytes) {
        int start = 0;
        for (int i = 1; i < values.length; i++) {
            if (values[i - 1] - values[i] > dropBytes) {
                start = i;
            }
        }
        return start;
    }

    /**
     * The series with every drop larger than {@code dropBytes} taken out: what was written, not
     * deleted. An interval with a drop is given the median increment of the other intervals, as
     * writing went on while the deletion happened.
     */
    static long[] stitchDrops(long[] values, long dropBytes) {
        long[] out = values.clone();
        long[] increments = new long[Math.max(0, values.length - 1)];
        int k = 0;
        for (int i = 1; i < values.length; i++) {
            long step = values[i] - values[i - 1];
            if (-step <= dropBytes) {
                increments[k++] = step;
            }
        }
        long typical = 0;
        if (k > 0) {
            long[] kept = java.util.Arrays.copyOf(increments, k);
            java.util.Arrays.sort(kept);
            typical = Math.max(0, kept[k / 2]);
        }
        for (int i = 1; i < values.length; i++) {
            long step = values[i] - values[i - 1];
            out[i] = out[i - 1] + (-step > dropBytes ? typical : step);
        }
        return out;
    }

    /** Bucket medians of (time, value) from index {@code from}. */
    static Points bucket(Instant[] times, long[] values, int from) {
        int n = values.length - from;
        if (n <= 0) {
            return new Points(new double[0], new double[0], Duration.ZERO);
        }
        Instant origin = times[from];
        Duration span = Duration.between(origin, times[values.length - 1]);
        int buckets = Math.min(MAX_BUCKETS, n);
        double[] seconds = new double[buckets];
        double[] medians = new double[buckets];
        for (int b = 0; b < buckets; b++) {
            int lo = from + (int) ((long) b * n / buckets);
            int hi = from + (int) ((long) (b + 1) * n / buckets);
            double[] ts = new double[hi - lo];
            double[] vs = new double[hi - lo];
            for (int i = lo; i < hi; i++) {
                ts[i - lo] = Duration.between(origin, times[i]).toNanos() / 1e9;
                vs[i - lo] = values[i];
            }
            seconds[b] = TheilSen.median(ts);
            medians[b] = TheilSen.median(vs);
        }
        return new Points(seconds, medians, span);
    }
}
