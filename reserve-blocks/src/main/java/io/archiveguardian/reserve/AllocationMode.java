package io.archiveguardian.reserve;

/** How tier files get their blocks. */
public enum AllocationMode {
    /** {@code fallocate(2)} where the filesystem supports it, else {@link #WRITE}. */
    AUTO,
    /** {@code fallocate(2)} only; fails where it is unsupported. */
    FALLOCATE,
    /** Write incompressible data (rate-limited, fsynced), even where fallocate works. */
    WRITE
}
