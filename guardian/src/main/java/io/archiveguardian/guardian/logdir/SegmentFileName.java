package io.archiveguardian.guardian.logdir;

/**
 * Classifies a file name inside a partition directory: {@code %020d.log}, {@code .index},
 * {@code .timeindex}, {@code .txnindex}, {@code .snapshot}, or anything else. Without regexes:
 * this runs for every file of every scan.
 */
enum SegmentFileName {
    LOG("log"), OFFSET_INDEX("index"), TIME_INDEX("timeindex"), TXN_INDEX("txnindex"), SNAPSHOT("snapshot"), OTHER("");

    static final int OFFSET_DIGITS = 20;

    final String extension;

    SegmentFileName(String extension) {
        this.extension = extension;
    }

    static SegmentFileName of(String name) {
        if (name.length() <= OFFSET_DIGITS + 1 || name.charAt(OFFSET_DIGITS) != '.') {
            return OTHER;
        }
        for (int i = 0; i < OFFSET_DIGITS; i++) {
            char c = name.charAt(i);
            if (c < '0' || c > '9') {
                return OTHER;
            }
        }
        return switch (name.substring(OFFSET_DIGITS + 1)) {
            case "log" -> LOG;
            case "index" -> OFFSET_INDEX;
            case "timeindex" -> TIME_INDEX;
            case "txnindex" -> TXN_INDEX;
            case "snapshot" -> SNAPSHOT;
            default -> OTHER;
        };
    }

    /** The offset in the first 20 characters; call only when {@link #of} did not return OTHER. */
    static long baseOffset(String name) {
        return Long.parseLong(name, 0, OFFSET_DIGITS, 10);
    }

    /** {@code %020d.<extension>} */
    String fileName(long baseOffset) {
        String digits = Long.toString(baseOffset);
        return "0".repeat(Math.max(0, OFFSET_DIGITS - digits.length())) + digits + "." + extension;
    }
}
