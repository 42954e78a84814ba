package io.archiveguardian.guardian.ballast;

import io.archiveguardian.reserve.Reserve;
import java.nio.file.Path;
import java.util.List;

/**
 * One data filesystem and its reserve. Log dirs that share a filesystem share one reserve, owned
 * by the first of them in {@code log.dirs} order.
 *
 * @param logDir     the owning log dir
 * @param logDirs    every log dir on this filesystem
 * @param filesystem the filesystem as the JDK names it (mount point and device)
 * @param reserve    the reserve
 */
public record FilesystemReserve(Path logDir, List<Path> logDirs, String filesystem, Reserve reserve) {

    public FilesystemReserve {
        logDirs = List.copyOf(logDirs);
    }

    /** Whether {@code dir} (a real path) is one of this filesystem's log dirs. */
    boolean holds(Path dir) {
        return logDirs.contains(dir);
    }
}
