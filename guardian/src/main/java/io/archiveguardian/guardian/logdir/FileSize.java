package io.archiveguardian.guardian.logdir;

/**
 * Size of one file or a sum of files: the apparent size ({@code st_size}, what {@code ls -l} and
 * {@code du --apparent-size} show) and the allocated size ({@code st_blocks * 512}, what
 * {@code du} shows). A sparse index preallocated to 10 MiB has a large apparent and a small
 * allocated size.
 */
public record FileSize(long apparentBytes, long allocatedBytes) {

    public static final FileSize ZERO = new FileSize(0, 0);

    public FileSize {
        if (apparentBytes < 0 || allocatedBytes < 0) {
            throw new IllegalArgumentException("sizes cannot be negative: apparent=" + apparentBytes
                    + ", allocated=" + allocatedBytes);
        }
    }

    public FileSize plus(FileSize other) {
        if (other.apparentBytes == 0 && other.allocatedBytes == 0) {
            return this;
        }
        return new FileSize(apparentBytes + other.apparentBytes, allocatedBytes + other.allocatedBytes);
    }

    public FileSize plus(long apparent, long allocated) {
        return new FileSize(apparentBytes + apparent, allocatedBytes + allocated);
    }
}
