package io.archiveguardian.guardian.disk;

import java.time.Duration;

/**
 * Write rate and index growth of one log dir over a window, from robust fits with deletions
 * stitched out (a deleted segment is not negative writing). All zero when {@code sufficient} is false.
 *
 * @param logBytesPerSecond            {@code .log} bytes appended per second
 * @param indexAllocatedBytesPerSecond index blocks allocated per second (disk actually used)
 * @param indexApparentBytesPerSecond  index apparent size growth per second (preallocation included)
 */
public record GrowthRates(boolean sufficient, double logBytesPerSecond, double indexAllocatedBytesPerSecond,
                          double indexApparentBytesPerSecond, int samples, Duration span) {

    /** Index bytes allocated per {@code .log} byte written, or 0 when nothing was written. */
    public double indexShareOfWrites() {
        return logBytesPerSecond > 0 ? indexAllocatedBytesPerSecond / logBytesPerSecond : 0;
    }
}
