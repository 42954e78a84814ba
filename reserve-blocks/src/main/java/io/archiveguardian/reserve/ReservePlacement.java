package io.archiveguardian.reserve;

import io.archiveguardian.reserve.PlacementRefusedException.Rule;
import io.archiveguardian.reserve.ReserveLocation.Layout;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Collection;
import java.util.List;
import java.util.Optional;

/**
 * Decides where the reserve of a log dir lives. The rules:
 * <ol>
 *   <li>The reserve is on the <em>same filesystem</em> as the log dir (same {@code st_dev}):
 *       releasing it must free space where the broker needs it.</li>
 *   <li>The reserve is <em>never a subdirectory of any log dir</em>: Kafka parses every
 *       subdirectory of a log dir as a partition and refuses to start.</li>
 *   <li>Default: a sibling directory {@code <parent>/.guardian-reserve-<logdir name>} when the
 *       log dir's parent is on the same filesystem (for example {@code /data/kafka} on a disk
 *       mounted at {@code /data} gives {@code /data/.guardian-reserve-kafka}).</li>
 *   <li>When the log dir is itself the root of its filesystem (its parent is on another one), the
 *       reserve is plain files at the log dir root, named {@code .guardian-reserve-*}: Kafka
 *       ignores plain files there.</li>
 *   <li>A configured directory must satisfy rules 1 and 2 or is refused; naming the log dir
 *       itself means the plain-file layout of rule 4.</li>
 * </ol>
 * The choice depends only on paths and device ids, never on permissions, so the CLI and the
 * sidecar always agree.
 */
public final class ReservePlacement {

    public static final String SIBLING_PREFIX = ".guardian-reserve-";
    public static final String ROOT_FILE_PREFIX = ".guardian-reserve-";

    private ReservePlacement() {
    }

    /** The default location for {@code logDir}, checked against every log dir in {@code allLogDirs}. */
    public static ReserveLocation resolve(Path logDir, Collection<Path> allLogDirs) {
        return resolve(logDir, allLogDirs, Optional.empty());
    }

    /**
     * The location for {@code logDir}: {@code configured} when given and valid, else the default.
     *
     * @throws PlacementRefusedException naming the broken rule
     */
    public static ReserveLocation resolve(Path logDir, Collection<Path> allLogDirs, Optional<Path> configured) {
        Path realLogDir = realDirectory(logDir);
        List<Path> realLogDirs = allLogDirs.stream().map(ReservePlacement::realPathOfPossiblyMissing).toList();
        long device = device(realLogDir);
        if (configured.isPresent()) {
            return configured(realLogDir, device, realLogDirs, configured.get());
        }
        Path parent = realLogDir.getParent();
        if (parent != null && device(parent) == device) {
            Path sibling = parent.resolve(SIBLING_PREFIX + realLogDir.getFileName());
            if (insideLogDir(sibling, realLogDirs).isEmpty() && insideLogDir(sibling, List.of(realLogDir)).isEmpty()) {
                return new ReserveLocation(sibling, "", Layout.SIBLING_DIRECTORY, realLogDir);
            }
        }
        return new ReserveLocation(realLogDir, ROOT_FILE_PREFIX, Layout.LOG_DIR_ROOT, realLogDir);
    }

    private static ReserveLocation configured(Path realLogDir, long device, List<Path> realLogDirs, Path dir) {
        if (!dir.isAbsolute()) {
            throw new PlacementRefusedException(Rule.NOT_A_DIRECTORY, "reserve dir '" + dir + "' is a relative path; "
                    + "give an absolute path on the same filesystem as log dir " + realLogDir + ".");
        }
        Path real = realPathOfPossiblyMissing(dir);
        if (Files.exists(real) && !Files.isDirectory(real)) {
            throw new PlacementRefusedException(Rule.NOT_A_DIRECTORY, "reserve dir " + dir + " exists and is not a "
                    + "directory; give a directory on the same filesystem as log dir " + realLogDir + ".");
        }
        if (real.equals(realLogDir)) {
            return new ReserveLocation(realLogDir, ROOT_FILE_PREFIX, Layout.LOG_DIR_ROOT, realLogDir);
        }
        Optional<Path> container = insideLogDir(real, realLogDirs);
        if (container.isEmpty()) {
            container = insideLogDir(real, List.of(realLogDir));
        }
        if (container.isPresent()) {
            throw new PlacementRefusedException(Rule.INSIDE_LOG_DIR, "reserve dir " + dir + " is inside log dir "
                    + container.get() + ". Kafka parses every subdirectory of a log dir as a partition and would "
                    + "refuse to start; give a directory outside every log dir (for example "
                    + defaultHint(realLogDir) + "), or the log dir itself for plain files at its root.");
        }
        long reserveDevice = device(nearestExisting(real));
        if (reserveDevice != device) {
            throw new PlacementRefusedException(Rule.DIFFERENT_FILESYSTEM, "reserve dir " + dir + " is on another "
                    + "filesystem than log dir " + realLogDir + " (device " + reserveDevice + " vs " + device
                    + "). Releasing it would free nothing where the broker needs space; give a directory on the "
                    + "log dir's filesystem.");
        }
        return new ReserveLocation(real, "", Layout.CONFIGURED_DIRECTORY, realLogDir);
    }

    private static String defaultHint(Path realLogDir) {
        Path parent = realLogDir.getParent();
        return parent == null ? realLogDir.toString() : parent.resolve(SIBLING_PREFIX + realLogDir.getFileName()).toString();
    }

    /** The log dir that contains {@code path} (or is it), if any. */
    private static Optional<Path> insideLogDir(Path path, List<Path> realLogDirs) {
        return realLogDirs.stream().filter(path::startsWith).findFirst();
    }

    /** The filesystem device id ({@code st_dev}) of an existing path. */
    public static long device(Path path) {
        try {
            return ((Number) Files.getAttribute(path, "unix:dev")).longValue();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the device of " + path + ": " + e.getMessage(), e);
        }
    }

    private static Path realDirectory(Path logDir) {
        if (!Files.isDirectory(logDir)) {
            throw new PlacementRefusedException(Rule.NOT_A_DIRECTORY, "log dir " + logDir + " does not exist or is "
                    + "not a directory; give an existing Kafka log dir.");
        }
        try {
            return logDir.toRealPath();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot resolve log dir " + logDir + ": " + e.getMessage(), e);
        }
    }

    private static Path nearestExisting(Path path) {
        Path p = path;
        while (p != null && !Files.exists(p)) {
            p = p.getParent();
        }
        return p == null ? path.getRoot() : p;
    }

    /** The real path of the nearest existing ancestor, with the missing rest appended. */
    static Path realPathOfPossiblyMissing(Path path) {
        Path absolute = path.toAbsolutePath().normalize();
        Path existing = nearestExisting(absolute);
        try {
            return existing.toRealPath().resolve(existing.relativize(absolute)).normalize();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot resolve " + path + ": " + e.getMessage(), e);
        }
    }
}
