package io.archiveguardian.guardian.drop;

import java.util.List;

/**
 * One log dir of one broker: whether it is online, the room on its filesystem, its pressure when a
 * sidecar reported it, the replicas in it (empty when offline: Kafka reports none then), and whether
 * it is cordoned (KIP-1066: the controller places no new replicas there).
 */
public record LogDirState(
        int broker,
        String path,
        boolean online,
        long usableBytes,
        long totalBytes,
        DiskPressure pressure,
        List<ReplicaOnDisk> replicas,
        boolean cordoned) {

    public LogDirState {
        replicas = List.copyOf(replicas);
    }

    /** Not cordoned. */
    public LogDirState(int broker, String path, boolean online, long usableBytes, long totalBytes, DiskPressure pressure,
                       List<ReplicaOnDisk> replicas) {
        this(broker, path, online, usableBytes, totalBytes, pressure, replicas, false);
    }

    public static LogDirState online(int broker, String path, long usableBytes, long totalBytes,
                                     List<ReplicaOnDisk> replicas) {
        return new LogDirState(broker, path, true, usableBytes, totalBytes, DiskPressure.UNKNOWN, replicas);
    }

    public static LogDirState offline(int broker, String path) {
        return new LogDirState(broker, path, false, 0, 0, DiskPressure.UNKNOWN, List.of());
    }

    public LogDirState withPressure(DiskPressure newPressure) {
        return new LogDirState(broker, path, online, usableBytes, totalBytes, newPressure, replicas, cordoned);
    }

    public LogDirState withCordoned(boolean isCordoned) {
        return new LogDirState(broker, path, online, usableBytes, totalBytes, pressure, replicas, isCordoned);
    }
}
