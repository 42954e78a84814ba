package io.archiveguardian.guardian.logdir;

import java.io.IOException;

/**
 * Reads a path's metadata without following symlinks. One instance is used by one thread at a time.
 * {@link #open()} picks {@code statx(2)} through JNA where it is available (it gives the allocated
 * size) and falls back to {@code java.nio}, which has no block count.
 */
interface FileStats {

    /** Null when the path does not exist (any more); other failures throw. */
    FileStat stat(String path) throws IOException;

    /** False when allocated sizes are estimated as the apparent size (no block count available). */
    boolean allocatedKnown();

    static FileStats open() {
        FileStats nativeStats = StatxFileStats.tryOpen();
        return nativeStats != null ? nativeStats : new PortableFileStats();
    }
}
