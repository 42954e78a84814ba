package io.archiveguardian.guardian.replicas;

import java.util.List;

/**
 * Free {@code needBytes} on these log dirs. Usually one log dir of the local broker; several when a
 * filesystem holds more than one (of one broker or of several brokers on one host).
 */
public record DropRequest(List<DiskRef> disks, long needBytes) {

    public DropRequest {
        disks = List.copyOf(disks);
        if (disks.isEmpty()) {
            throw new IllegalArgumentException("a drop request needs at least one log dir");
        }
        if (needBytes < 0) {
            throw new IllegalArgumentException("bytes to free must not be negative: " + needBytes);
        }
    }

    public static DropRequest of(int broker, String logDir, long needBytes) {
        return new DropRequest(List.of(new DiskRef(broker, logDir)), needBytes);
    }

    public boolean covers(int broker) {
        return disks.stream().anyMatch(d -> d.broker() == broker);
    }
}
