package io.archiveguardian.reserve;

/** Another process (or thread) holds the reserve's lock longer than the caller was willing to wait. */
public final class ReserveLockedException extends ReserveException {

    public ReserveLockedException(String message) {
        super(message);
    }
}
