package io.archiveguardian.guardian.drop;

import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * Builds cluster snapshots for verdict tests: one log dir {@code /data/b<N>} per broker, every
 * replica placed on the log dir of each broker in its replica set.
 */
final class ClusterFixture {

    static final long GIB = 1L << 30;

    private final Set<Integer> live = new TreeSet<>();
    private final List<PartitionState> partitions = new ArrayList<>();
    private final Map<String, Long> sizes = new HashMap<>();
    private final Map<Integer, Long> usable = new HashMap<>();
    private final Map<Integer, Long> total = new HashMap<>();
    private final Map<Integer, DiskPressure> pressure = new HashMap<>();
    private final Set<Integer> offline = new TreeSet<>();

    static ClusterFixture brokers(Integer... ids) {
        ClusterFixture f = new ClusterFixture();
        f.live.addAll(List.of(ids));
        for (int id : ids) {
            f.usable.put(id, 100 * GIB);
            f.total.put(id, 1000 * GIB);
        }
        return f;
    }

    static String dir(int broker) {
        return "/data/b" + broker;
    }

    ClusterFixture stopped(int broker) {
        live.remove(broker);
        usable.putIfAbsent(broker, 0L);
        total.putIfAbsent(broker, 1000 * GIB);
        return this;
    }

    ClusterFixture partition(String topic, int id, List<Integer> replicas, List<Integer> isr, int minIsr, long bytes) {
        return partition(new PartitionState(new org.apache.kafka.common.TopicPartition(topic, id), replicas, isr,
                List.of(), List.of(), minIsr, false), bytes);
    }

    ClusterFixture partition(PartitionState p, long bytes) {
        partitions.add(p);
        sizes.put(p.partition().toString(), bytes);
        return this;
    }

    ClusterFixture usable(int broker, long bytes) {
        usable.put(broker, bytes);
        return this;
    }

    ClusterFixture offline(int broker) {
        offline.add(broker);
        return this;
    }

    ClusterFixture pressure(int broker, DiskPressure level) {
        pressure.put(broker, level);
        return this;
    }

    ClusterSnapshot snapshot() {
        Set<Integer> all = new TreeSet<>(usable.keySet());
        Map<Integer, List<ReplicaOnDisk>> onDisk = new LinkedHashMap<>();
        for (PartitionState p : partitions) {
            for (int b : p.replicas()) {
                all.add(b);
                onDisk.computeIfAbsent(b, k -> new ArrayList<>())
                        .add(new ReplicaOnDisk(p.partition(), sizes.get(p.partition().toString()), false));
            }
        }
        List<LogDirState> dirs = new ArrayList<>();
        for (int b : all) {
            if (offline.contains(b)) {
                dirs.add(LogDirState.offline(b, dir(b)));
            } else {
                dirs.add(new LogDirState(b, dir(b), true, usable.getOrDefault(b, 100 * GIB), total.getOrDefault(b, 1000 * GIB),
                        pressure.getOrDefault(b, DiskPressure.UNKNOWN), onDisk.getOrDefault(b, List.of())));
            }
        }
        return ClusterSnapshot.of(Instant.parse("2026-11-22T06:00:00Z"), live, partitions, dirs);
    }

    DropCandidates plan(int broker, long need) {
        return DropPlanner.plan(snapshot(), DropRequest.of(broker, dir(broker), need));
    }
}
