package io.archiveguardian.guardian.disk;

/**
 * The filesystem under a log dir at one moment. Sizes are bytes as statvfs reports them, the
 * same numbers as {@code df -B1}: {@code freeBytes} is what is not allocated (df: size − used),
 * {@code usableBytes} what an unprivileged writer may still use (df: avail). Inode counts are
 * −1 when unknown.
 */
public record FilesystemUsage(
        String mount,
        String device,
        String type,
        long totalBytes,
        long freeBytes,
        long usableBytes,
        long inodesTotal,
        long inodesFree) {

    /** Used bytes as df computes them. */
    public long usedBytes() {
        return totalBytes - freeBytes;
    }

    /** Used share as df's Use%: used / (used + usable), 0..1. */
    public double usedRatio() {
        long denominator = usedBytes() + usableBytes;
        return denominator <= 0 ? 0.0 : (double) usedBytes() / denominator;
    }
}
