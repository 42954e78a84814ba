package io.archiveguardian.guardian.text;

import io.archiveguardian.reserve.ByteSizes;

/**
 * The product's one size syntax and one size format, for every option, key and message of the
 * guardian: both delegate to {@link ByteSizes} of reserve-blocks, so the library and the guardian
 * read and print sizes the same way.
 */
public final class Sizes {

    /** What {@link #parse} accepts, for messages and --help. */
    public static final String ACCEPTED = ByteSizes.ACCEPTED;

    private Sizes() {
    }

    /** {@code 4096 B}, {@code 512 MiB}, {@code 1.5 GiB}; negative: {@code unknown}. */
    public static String human(long bytes) {
        return ByteSizes.human(bytes);
    }

    /**
     * {@code 20000000000}, {@code 20000000000B}, {@code 512M}, {@code 1.5G}, {@code 20GiB}.
     *
     * @throws IllegalArgumentException naming the value and what is accepted (also on overflow)
     */
    public static long parse(String text) {
        return ByteSizes.parse(text);
    }
}
