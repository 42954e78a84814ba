package io.archiveguardian.reserve;

/** The filesystem ran out of space (ENOSPC) while a tier was being allocated. */
final class NoSpaceException extends Exception {

    private final long allocatedBytes;

    NoSpaceException(long allocatedBytes, Throwable cause) {
        super("no space left on device after allocating " + allocatedBytes + " bytes", cause);
        this.allocatedBytes = allocatedBytes;
    }

    /** How much of the tier had been allocated when the filesystem refused more. */
    long allocatedBytes() {
        return allocatedBytes;
    }
}
