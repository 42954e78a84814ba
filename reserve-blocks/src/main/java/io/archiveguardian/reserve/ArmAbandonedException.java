package io.archiveguardian.reserve;

/** An arm gave way: to a release another process or thread is waiting to make, or to its caller's {@link GiveWay}. */
final class ArmAbandonedException extends Exception {

    private final long allocatedBytes;
    private final String why;

    ArmAbandonedException(long allocatedBytes, String why) {
        super("abandoned after allocating " + allocatedBytes + " bytes: " + why);
        this.allocatedBytes = allocatedBytes;
        this.why = why;
    }

    /** Why the arm gave way. */
    String why() {
        return why;
    }

    long allocatedBytes() {
        return allocatedBytes;
    }
}
