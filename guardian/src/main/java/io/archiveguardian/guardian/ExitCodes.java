package io.archiveguardian.guardian;

/** The exit codes of every guardian command (the contract: service managers depend on them). */
public final class ExitCodes {

    /** Everything is fine. */
    public static final int OK = 0;
    /** The command failed (I/O, cluster unreachable, unexpected error). */
    public static final int FAILED = 1;
    /** Bad usage or configuration: nothing was changed. */
    public static final int USAGE = 2;
    /** A check found a problem: retention drift, an unsafe state, the broker is running. */
    public static final int CHECK_FAILED = 3;
    /** The disk is too full to start the broker safely even after releasing all ballast. */
    public static final int DISK_FULL = 10;

    private ExitCodes() {
    }
}
