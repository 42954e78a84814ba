package io.archiveguardian.guardian.drop;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.apache.kafka.common.TopicPartition;

/** Lookups over a {@link ClusterSnapshot}: which log dir of a broker holds a partition. Built once per plan. */
final class SnapshotIndex {

    private final ClusterSnapshot snapshot;
    private final Map<Integer, List<LogDirState>> dirsByBroker = new HashMap<>();
    private final Map<PartitionKey, PartitionState> partitions;
    private final Map<PartitionKey, Map<Integer, LogDirState>> holders = new HashMap<>();

    SnapshotIndex(ClusterSnapshot snapshot) {
        this.snapshot = snapshot;
        this.partitions = new HashMap<>(snapshot.partitions().size() * 2);
        for (PartitionState p : snapshot.partitions()) {
            partitions.put(PartitionKey.of(p.partition()), p);
        }
        for (LogDirState dir : snapshot.logDirs()) {
            dirsByBroker.computeIfAbsent(dir.broker(), b -> new ArrayList<>()).add(dir);
            for (ReplicaOnDisk replica : dir.replicas()) {
                if (!replica.future()) {
                    holders.computeIfAbsent(PartitionKey.of(replica.partition()), tp -> new HashMap<>(4)).put(dir.broker(), dir);
                }
            }
        }
    }

    ClusterSnapshot snapshot() {
        return snapshot;
    }

    Optional<PartitionState> partition(TopicPartition tp) {
        return Optional.ofNullable(partitions.get(PartitionKey.of(tp)));
    }

    boolean isLive(int broker) {
        return snapshot.liveBrokers().contains(broker);
    }

    /** The online log dir of {@code broker} that reports {@code tp}, if any. */
    Optional<LogDirState> holder(TopicPartition tp, int broker) {
        Map<Integer, LogDirState> byBroker = holders.get(PartitionKey.of(tp));
        return byBroker == null ? Optional.empty() : Optional.ofNullable(byBroker.get(broker));
    }

    List<LogDirState> dirsOf(int broker) {
        return dirsByBroker.getOrDefault(broker, List.of());
    }

    Optional<LogDirState> dir(DiskRef ref) {
        return dirsOf(ref.broker()).stream().filter(d -> d.path().equals(ref.logDir())).findFirst();
    }
}
