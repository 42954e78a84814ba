package io.archiveguardian.guardian.drop;

import java.time.Instant;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * What the drop planner knows about the cluster at one moment: the partitions, the live brokers
 * and the log dirs of every broker it could see (look partitions up through the planner's index,
 * not by scanning). Immutable; built by {@code drop.observe.ClusterObserver} or by hand.
 */
public record ClusterSnapshot(
        Instant takenAt,
        Set<Integer> liveBrokers,
        List<PartitionState> partitions,
        List<LogDirState> logDirs) {

    public ClusterSnapshot {
        liveBrokers = Set.copyOf(liveBrokers);
        partitions = List.copyOf(partitions);
        logDirs = List.copyOf(logDirs);
    }

    public static ClusterSnapshot of(Instant takenAt, Set<Integer> liveBrokers, Collection<PartitionState> partitions,
                                     List<LogDirState> logDirs) {
        return new ClusterSnapshot(takenAt, liveBrokers, List.copyOf(partitions), logDirs);
    }

    /** The same snapshot with the log dirs of {@code broker} replaced by {@code dirs}. */
    public ClusterSnapshot withLogDirsOf(int broker, List<LogDirState> dirs) {
        List<LogDirState> merged = new java.util.ArrayList<>(logDirs.stream().filter(d -> d.broker() != broker).toList());
        merged.addAll(dirs);
        return new ClusterSnapshot(takenAt, liveBrokers, partitions, merged);
    }

    /**
     * The same snapshot with disk pressure applied from the sidecars' reports (the cluster view): a
     * log dir takes the worse of its own level (from Kafka's totals) and the report, so neither a
     * sidecar's "normal" nor a missing report hides a disk Kafka reports critical.
     */
    public ClusterSnapshot withPressures(Map<DiskRef, DiskPressure> pressures) {
        if (pressures.isEmpty()) {
            return this;
        }
        List<LogDirState> updated = logDirs.stream()
                .map(d -> {
                    DiskPressure p = pressures.get(new DiskRef(d.broker(), d.path()));
                    return p == null ? d : d.withPressure(DiskPressure.worse(d.pressure(), p));
                })
                .toList();
        return new ClusterSnapshot(takenAt, liveBrokers, partitions, updated);
    }
}
