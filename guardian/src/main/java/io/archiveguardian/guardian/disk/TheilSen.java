package io.archiveguardian.guardian.disk;

import java.util.Arrays;

/**
 * Theil–Sen slope: the median of the slopes between all pairs of points. A burst or a few wild
 * samples do not move it (it tolerates about 29% outliers), unlike least squares or two points.
 * Inputs are bucketed first by {@link Series} so the pair count stays small.
 */
final class TheilSen {

    private TheilSen() {
    }

    /** Slope in value units per second; NaN with fewer than two distinct times. */
    static double slope(double[] seconds, double[] values) {
        int n = seconds.length;
        double[] slopes = new double[n * (n - 1) / 2];
        int k = 0;
        for (int i = 0; i < n; i++) {
            for (int j = i + 1; j < n; j++) {
                double dt = seconds[j] - seconds[i];
                if (dt != 0) {
                    slopes[k++] = (values[j] - values[i]) / dt;
                }
            }
        }
        if (k == 0) {
            return Double.NaN;
        }
        return median(Arrays.copyOf(slopes, k));
    }

    static double median(double[] values) {
        double[] sorted = values.clone();
        Arrays.sort(sorted);
        int n = sorted.length;
        return n % 2 == 1 ? sorted[n / 2] : (sorted[n / 2 - 1] + sorted[n / 2]) / 2;
    }
}
