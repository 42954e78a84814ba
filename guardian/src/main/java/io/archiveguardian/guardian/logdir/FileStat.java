package io.archiveguardian.guardian.logdir;

/** What one {@code stat} of a path returned: type, sizes and modification time in nanoseconds. */
record FileStat(boolean directory, long apparentBytes, long allocatedBytes, long modifiedNanos) {

    FileSize size() {
        return new FileSize(apparentBytes, allocatedBytes);
    }
}
