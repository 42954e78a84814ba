package io.archiveguardian.reserve;

import java.util.Optional;

/**
 * Asked by an arm between chunks of its allocation (at least every {@link #CHECK_EVERY_MILLIS} on the
 * rate-limited write path): a reason makes the arm stop at once, remove its partial tier and record
 * the tier as not armed, as a power cut would leave it. A release waiting for the reserve's lock
 * always makes an arm give way; this adds the caller's own condition (the sidecar's: the broker
 * stopped).
 */
@FunctionalInterface
public interface GiveWay {

    /** How often the rate-limited write path asks, at the longest, while it waits for its rate. */
    long CHECK_EVERY_MILLIS = 50;

    /** Never gives way on its own account. */
    GiveWay NEVER = Optional::empty;

    /** Why the arm must stop now, or empty to go on. Must be cheap: it is asked often. */
    Optional<String> reason();
}
