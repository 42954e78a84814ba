package io.archiveguardian.guardian.events;

import java.time.Instant;

/**
 * A change of state the operator should know about (the contract: ARCHITECTURE.md). The subject
 * names what changed, e.g. {@code broker}, {@code logdir:/data/kafka}, {@code disk:/data}.
 */
public record StateChangeEvent(
        Instant time,
        String host,
        Integer broker,
        String subject,
        String previousState,
        String state,
        String detail) {
}
