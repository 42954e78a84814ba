package io.archiveguardian.guardian.watch;

import io.archiveguardian.guardian.disk.GrowthRates;

/**
 * A log dir's write rate and index growth over {@code growth.window.ms}, as the status API shows it.
 * The rates are 0 while {@code sufficient} is false (too few scans, or too short a span).
 *
 * @param indexAllocatedBytesPerSecond index blocks allocated per second (disk really used)
 * @param indexApparentBytesPerSecond  index apparent size growth per second (sparse preallocation included)
 * @param indexShareOfWrites           index bytes allocated per {@code .log} byte written
 */
public record GrowthView(boolean sufficient, double logBytesPerSecond, double indexAllocatedBytesPerSecond,
                         double indexApparentBytesPerSecond, double indexShareOfWrites, int samples, double spanSeconds) {

    static GrowthView of(GrowthRates r) {
        return new GrowthView(r.sufficient(), r.logBytesPerSecond(), r.indexAllocatedBytesPerSecond(),
                r.indexApparentBytesPerSecond(), r.indexShareOfWrites(), r.samples(), r.span().toNanos() / 1e9);
    }
}
