package io.archiveguardian.guardian.disk;

import java.time.Instant;

/**
 * One observation of a filesystem: sizes as {@code statvfs}/{@code df} report them, and the bytes
 * of the guardian's ballast files on it (which are part of {@code used}).
 *
 * @param freeBytes   free blocks, including those reserved for root
 * @param usableBytes free blocks an unprivileged process (the broker) may use, {@code df}'s "Avail"
 */
public record SpaceSample(Instant at, long totalBytes, long freeBytes, long usableBytes, long ballastBytes) {

    public SpaceSample {
        if (totalBytes < 0 || freeBytes < 0 || usableBytes < 0 || ballastBytes < 0) {
            throw new IllegalArgumentException("negative size in " + totalBytes + "/" + freeBytes + "/" + usableBytes
                    + "/" + ballastBytes);
        }
    }

    public long usedBytes() {
        return Math.max(0, totalBytes - freeBytes);
    }

    /**
     * Used share as {@code df} computes "Use%": used / (used + usable), so blocks reserved for
     * root count as unavailable, the way the broker experiences them.
     */
    public double usedRatio() {
        long denominator = usedBytes() + usableBytes;
        return denominator == 0 ? 1.0 : (double) usedBytes() / denominator;
    }

    /** Used bytes that are data, not ballast: what grows when Kafka writes. */
    public long dataBytes() {
        return Math.max(0, usedBytes() - ballastBytes);
    }

    /** The same filesystem with all ballast released: ballast bytes become usable. */
    public SpaceSample withoutBallast() {
        return new SpaceSample(at, totalBytes, freeBytes + ballastBytes, usableBytes + ballastBytes, 0);
    }
}
