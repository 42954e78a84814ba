package io.archiveguardian.reserve;

import java.nio.file.Path;

/**
 * A file sits where the reserve would put a tier but the guardian did not create it (it has no
 * guardian header, or the header names another reserve). The guardian never overwrites or
 * deletes such a file.
 */
public final class ForeignFileException extends ReserveException {

    private final Path file;

    public ForeignFileException(Path file) {
        super(file + " exists but was not created by this reserve (no matching guardian header). "
                + "The guardian never deletes or overwrites files it did not create: move the file away, "
                + "or configure another reserve directory.");
        this.file = file;
    }

    public Path file() {
        return file;
    }
}
