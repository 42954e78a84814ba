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

    /** As {@link #of(String)}, for a UTF-8 name in {@code b[offset, offset + length)}: no String made. */
    static SegmentFileName of(byte[] b, int offset, int length) {
        if (length <= OFFSET_DIGITS + 1 || b[offset + OFFSET_DIGITS] != '.') {
            return OTHER;
        }
        for (int i = 0; i < OFFSET_DIGITS; i++) {
            byte c = b[offset + i];
            if (c < '0' || c > '9') {
                return OTHER;
            }
        }
        int ext = offset + OFFSET_DIGITS + 1;
        int extLength = length - OFFSET_DIGITS - 1;
        for (SegmentFileName kind : KINDS) {
            if (kind.matches(b, ext, extLength)) {
                return kind;
            }
        }
        return OTHER;
    }

    private static final SegmentFileName[] KINDS = {LOG, OFFSET_INDEX, TIME_INDEX, TXN_INDEX, SNAPSHOT};

    private boolean matches(byte[] b, int offset, int length) {
        if (length != extension.length()) {
            return false;
        }
        for (int i = 0; i < length; i++) {
            if (b[offset + i] != extension.charAt(i)) {
                return false;
            }
        }
        return true;
    }

    /** The base offset in the first 20 bytes; call only when {@link #of} did not return OTHER. */
    static long baseOffset(byte[] b, int offset) {
        long value = 0;
        for (int i = 0; i < OFFSET_DIGITS; i++) {
            value = value * 10 + (b[offset + i] - '0');
        }
        return value;
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
