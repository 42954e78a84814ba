package io.archiveguardian.reserve;

import java.util.List;
import java.util.Optional;

/**
 * What an arm did.
 *
 * @param armedTiers      tiers armed by this call
 * @param armedBytes      bytes armed by this call
 * @param requestedBytes  the plan's total
 * @param incomplete      why some tiers were not armed (safety rule refused, out of space), if so
 * @param status          the reserve afterwards (its armed bytes are what could be reserved)
 */
public record ArmResult(List<Integer> armedTiers, long armedBytes, long requestedBytes, Optional<String> incomplete,
                        ReserveStatus status) {

    public ArmResult {
        armedTiers = List.copyOf(armedTiers);
    }

    public boolean complete() {
        return incomplete.isEmpty();
    }
}
