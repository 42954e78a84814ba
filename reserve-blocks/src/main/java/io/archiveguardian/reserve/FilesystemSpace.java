package io.archiveguardian.reserve;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.FileStore;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The space numbers of one filesystem, as {@code statvfs} (and {@code df}) report them.
 *
 * @param totalBytes       the filesystem's size
 * @param usableBytes      free bytes an unprivileged writer can use ({@code df}'s "Avail")
 * @param unallocatedBytes free bytes including those reserved for root
 */
public record FilesystemSpace(long totalBytes, long usableBytes, long unallocatedBytes) {

    /** Reads the numbers of the filesystem that holds {@code path}. */
    public static FilesystemSpace of(Path path) {
        try {
            FileStore store = Files.getFileStore(path);
            return new FilesystemSpace(store.getTotalSpace(), store.getUsableSpace(), store.getUnallocatedSpace());
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the filesystem space of " + path + ": " + e.getMessage(), e);
        }
    }

    /**
     * Bytes in use as {@code df} counts them (its "Used"): total minus all free blocks, the guardian's
     * one definition of used (docs/json.md). Blocks reserved for root are neither used nor usable.
     */
    public long usedBytes() {
        return totalBytes - unallocatedBytes;
    }

    /**
     * Used share of the filesystem, 0 to 100, as {@code df}'s "Use%": used / (used + usable), so the
     * blocks reserved for root count as unavailable, as an unprivileged writer (the broker) sees them.
     */
    public double usedPercent() {
        return usedPercentWith(0);
    }

    /** {@link #usedPercent} once {@code moreBytes} more are used (taken from the usable bytes). */
    public double usedPercentWith(long moreBytes) {
        long whole = usedBytes() + usableBytes;
        return whole <= 0 ? 100.0 : 100.0 * (usedBytes() + moreBytes) / whole;
    }
}
