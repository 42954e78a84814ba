package io.archiveguardian.reserve;

import java.nio.file.Path;
import java.util.Locale;

/**
 * Where one reserve lives: a directory and a file-name prefix. Every file of the reserve is a
 * plain file named {@code <prefix>tier-NN.ballast}, {@code <prefix>manifest.json},
 * {@code <prefix>audit.jsonl} or {@code <prefix>lock}.
 *
 * @param directory the directory holding the reserve's files
 * @param prefix    {@code ""} in a directory of the reserve's own, {@code .guardian-reserve-} at a log dir root
 * @param layout    how the location was chosen
 * @param logDir    the log dir the reserve protects (the first one of its filesystem)
 */
public record ReserveLocation(Path directory, String prefix, Layout layout, Path logDir) {

    /** How a location was chosen (see {@link ReservePlacement}). */
    public enum Layout {
        /** The default: a directory next to the log dir, on the same filesystem. */
        SIBLING_DIRECTORY,
        /** The log dir is a filesystem root: plain files at the log dir root, which Kafka ignores. */
        LOG_DIR_ROOT,
        /** A directory given in the configuration (reserve.dirs). */
        CONFIGURED_DIRECTORY;

        public String label() {
            return name().toLowerCase(Locale.ROOT).replace('_', '-');
        }
    }

    public Path tierFile(int index) {
        return directory.resolve(prefix + tierFileName(index));
    }

    /** The name a tier file has while it is being armed. */
    public Path partialFile(int index) {
        return directory.resolve(prefix + tierFileName(index) + ".partial");
    }

    public Path manifestFile() {
        return directory.resolve(prefix + "manifest.json");
    }

    public Path auditFile() {
        return directory.resolve(prefix + "audit.jsonl");
    }

    public Path lockFile() {
        return directory.resolve(prefix + "lock");
    }

    /** Kept fresh by a release waiting for the lock; an arm on the write path gives way to it. */
    public Path releaseRequestFile() {
        return directory.resolve(prefix + "release-requested");
    }

    static String tierFileName(int index) {
        return String.format(Locale.ROOT, "tier-%02d.ballast", index);
    }
}
