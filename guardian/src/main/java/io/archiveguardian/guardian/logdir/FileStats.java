package io.archiveguardian.guardian.logdir;

import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryIteratorException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;

/**
 * Reads paths' metadata without following symlinks. One instance is used by one thread at a time.
 * {@link #open()} picks {@code statx(2)} and {@code getdents64(2)} through JNA where they are
 * available (they give the allocated size, and list a directory without a {@code Path} per entry)
 * and falls back to {@code java.nio}, which has no block count.
 */
interface FileStats {

    /** Null when the path does not exist (any more); other failures throw. */
    FileStat stat(String path) throws IOException;

    /**
     * Stats {@code relative} (UTF-8, NUL-terminated) under {@code baseDir}. While {@code baseDir} is
     * being listed by {@link #list}, the native implementation resolves it from the open directory.
     */
    default FileStat stat(String baseDir, byte[] relative) throws IOException {
        int end = 0;
        while (relative[end] != 0) {
            end++;
        }
        return stat(baseDir + File.separatorChar + new String(relative, 0, end, StandardCharsets.UTF_8));
    }

    /** False when allocated sizes are estimated as the apparent size (no block count available). */
    boolean allocatedKnown();

    /**
     * Lists a directory and stats each entry (not {@code .} and {@code ..}); entries that vanish
     * before their stat are skipped and counted. Returns false when the directory does not exist.
     */
    default boolean list(String dir, ScanCounters counters, EntryVisitor visitor) throws IOException {
        String prefix = dir + File.separatorChar;
        try (DirectoryStream<Path> listing = Files.newDirectoryStream(Path.of(dir))) {
            counters.directoriesListed++;
            for (Path path : listing) {
                String name = path.getFileName().toString();
                counters.pathsStatted++;
                FileStat stat = stat(prefix + name);
                if (stat == null) {
                    counters.vanished++;
                    continue;
                }
                byte[] bytes = name.getBytes(StandardCharsets.UTF_8);
                visitor.entry(bytes, 0, bytes.length, stat.directory(), stat.apparentBytes(), stat.allocatedBytes(),
                        stat.modifiedNanos());
            }
        } catch (NoSuchFileException e) {
            return false;
        } catch (DirectoryIteratorException e) {
            throw e.getCause();
        }
        return true;
    }

    static FileStats open() {
        FileStats nativeStats = StatxFileStats.tryOpen();
        return nativeStats != null ? nativeStats : new PortableFileStats();
    }
}
