package io.archiveguardian.guardian.logdir;

/** Receives the entries of one directory listing, each with its stat. */
@FunctionalInterface
interface EntryVisitor {

    /**
     * The entry's name is the UTF-8 bytes {@code name[offset, offset + length)}, valid only during
     * the call. Primitives rather than a {@link FileStat}: this runs for every file of every scan.
     */
    void entry(byte[] name, int offset, int length, boolean directory, long apparentBytes, long allocatedBytes,
               long modifiedNanos);
}
