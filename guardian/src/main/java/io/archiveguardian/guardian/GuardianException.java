package io.archiveguardian.guardian;

/**
 * An expected failure with a message written for the operator and the exit code the CLI returns
 * for it. Unexpected failures are any other exception (exit code 1, stack trace with --verbose).
 */
public class GuardianException extends RuntimeException {

    private final int exitCode;

    public GuardianException(int exitCode, String message) {
        super(message);
        this.exitCode = exitCode;
    }

    public GuardianException(int exitCode, String message, Throwable cause) {
        super(message, cause);
        this.exitCode = exitCode;
    }

    public int exitCode() {
        return exitCode;
    }
}
