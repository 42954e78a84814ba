package io.archiveguardian.reserve;

/** An arm gave way to a release that another process or thread is waiting to make. */
final class ArmAbandonedException extends Exception {

    private final long allocatedBytes;

    ArmAbandonedException(long allocatedBytes) {
        super("abandoned after allocating " + allocatedBytes + " bytes");
        this.allocatedBytes = allocatedBytes;
    }

    long allocatedBytes() {
        return allocatedBytes;
    }
}
