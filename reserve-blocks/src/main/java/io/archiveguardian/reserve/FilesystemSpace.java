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

    /** Bytes in use as {@code df} counts them: total minus usable. */
    public long usedBytes() {
        return totalBytes - usableBytes;
    }

    /** Used share of the filesystem, 0 to 100. */
    public double usedPercent() {
        return totalBytes == 0 ? 100.0 : 100.0 * usedBytes() / totalBytes;
    }
}
