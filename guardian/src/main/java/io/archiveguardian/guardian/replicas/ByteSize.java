package io.archiveguardian.guardian.replicas;

import io.archiveguardian.guardian.text.Sizes;

/** Sizes as operators type them: the product's one syntax, {@link Sizes#parse}. */
public final class ByteSize {

    private ByteSize() {
    }

    /** @throws IllegalArgumentException naming the value and the accepted forms ({@link Sizes#parse}) */
    public static long parse(String text) {
        return Sizes.parse(text);
    }

    /** A short human form: 1536 -> "1.5 KiB" (the guardian's one formatter, {@link Sizes#human}). */
    public static String format(long bytes) {
        return Sizes.human(bytes);
    }
}
