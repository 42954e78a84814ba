package io.archiveguardian.reserve;

/** An expected failure of a reserve operation; the message says what happened and what to do. */
public class ReserveException extends RuntimeException {

    public ReserveException(String message) {
        super(message);
    }

    public ReserveException(String message, Throwable cause) {
        super(message, cause);
    }
}
