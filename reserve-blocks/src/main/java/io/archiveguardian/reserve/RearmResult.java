package io.archiveguardian.reserve;

import java.util.Optional;

/**
 * What a re-arm did: at most one tier.
 *
 * @param tier        the tier re-armed, if any
 * @param armedBytes  its size, or 0
 * @param notArmed    why nothing was re-armed (nothing released, safety rule, out of space), if so
 * @param status      the reserve afterwards
 */
public record RearmResult(Optional<Integer> tier, long armedBytes, Optional<String> notArmed, ReserveStatus status) {
}
