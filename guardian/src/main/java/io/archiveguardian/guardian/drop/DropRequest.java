package io.archiveguardian.guardian.drop;

import java.util.List;
import java.util.Optional;

/**
 * Free {@code needBytes} on these log dirs. Usually one log dir of the local broker; several when a
 * filesystem holds more than one (of one broker or of several brokers on one host).
 *
 * @param startEffects when present, {@code needBytes} is the next start's shortfall and the plan
 *                     counts what each drop saves at the start and frees on disk (prestart's plan)
 */
public record DropRequest(List<DiskRef> disks, long needBytes, Optional<StartEffects> startEffects) {

    public DropRequest {
        disks = List.copyOf(disks);
        if (disks.isEmpty()) {
            throw new IllegalArgumentException("a drop request needs at least one log dir");
        }
        if (needBytes < 0) {
            throw new IllegalArgumentException("bytes to free must not be negative: " + needBytes);
        }
    }

    public DropRequest(List<DiskRef> disks, long needBytes) {
        this(disks, needBytes, Optional.empty());
    }

    public static DropRequest of(int broker, String logDir, long needBytes) {
        return new DropRequest(List.of(new DiskRef(broker, logDir)), needBytes);
    }

    public boolean covers(int broker) {
        return disks.stream().anyMatch(d -> d.broker() == broker);
    }
}
