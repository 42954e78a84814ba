package io.archiveguardian.guardian.replicas;

import java.time.Instant;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.apache.kafka.common.TopicPartition;

/**
 * What the drop planner knows about the cluster at one moment: the partitions, the live brokers
 * and the log dirs of every broker it could see. Immutable; built by {@link ClusterObserver} or by hand.
 */
public record ClusterSnapshot(
        Instant takenAt,
        Set<Integer> liveBrokers,
        Map<TopicPartition, PartitionState> partitions,
        List<LogDirState> logDirs) {

    public ClusterSnapshot {
        liveBrokers = Set.copyOf(liveBrokers);
        partitions = Map.copyOf(partitions);
        logDirs = List.copyOf(logDirs);
    }

    public static ClusterSnapshot of(Instant takenAt, Set<Integer> liveBrokers, Collection<PartitionState> partitions,
                                     List<LogDirState> logDirs) {
        return new ClusterSnapshot(takenAt, liveBrokers,
                partitions.stream().collect(Collectors.toMap(PartitionState::partition, Function.identity())),
                logDirs);
    }

    /** The same snapshot with the log dirs of {@code broker} replaced by {@code dirs}. */
    public ClusterSnapshot withLogDirsOf(int broker, List<LogDirState> dirs) {
        List<LogDirState> merged = new java.util.ArrayList<>(logDirs.stream().filter(d -> d.broker() != broker).toList());
        merged.addAll(dirs);
        return new ClusterSnapshot(takenAt, liveBrokers, partitions, merged);
    }
}
