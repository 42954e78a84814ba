package io.archiveguardian.guardian.disk;

import io.archiveguardian.guardian.text.Sizes;

/** Human-readable binary sizes for messages: the product's one format, {@link Sizes#human}. */
final class Bytes {

    private Bytes() {
    }

    static String format(long bytes) {
        return Sizes.human(bytes);
    }
}
