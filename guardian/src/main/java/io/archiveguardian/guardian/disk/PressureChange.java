package io.archiveguardian.guardian.disk;

import java.time.Instant;

/**
 * A state change of one filesystem's pressure, the disk part of the guardian's event
 * {@code {time, host, broker, subject, previous_state, state, detail}}; the caller adds host and broker.
 *
 * @param subject e.g. {@code disk:/data/1} (the mount point)
 */
public record PressureChange(Instant time, String subject, String previousState, String state, String detail) {
}
