package io.archiveguardian.guardian.drop;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.apache.kafka.common.TopicPartition;

/**
 * Re-checks a plan against fresh metadata just before it is carried out: every rule again, and
 * that nothing the plan relies on changed (replica sets, the replica on disk, the targets, the
 * local broker still not live). The rules are applied with the facts the plan was made with
 * ({@link DropCandidates#facts()}: the cluster view's silent sidecars and pressure levels, over the
 * fresh snapshot's own disk pressure from describeLogDirs), so a copy the plan could not rely on
 * is not relied on here either. Any difference is listed; an empty list means go.
 */
public final class PlanRecheck {

    private PlanRecheck() {
    }

    public static List<String> changes(DropCandidates planned, ClusterSnapshot observed) {
        ClusterSnapshot fresh = observed.withPressures(planned.facts().pressures());
        SnapshotIndex index = new SnapshotIndex(fresh);
        SafetyRule rule = new SafetyRule(index, planned.facts().silentSidecars());
        List<String> changes = new ArrayList<>();
        Map<TopicPartition, Set<Integer>> dropping = new HashMap<>();
        for (PlannedDrop d : planned.plan().drops()) {
            TopicPartition tp = d.replica().partition();
            int broker = d.replica().broker();
            if (fresh.liveBrokers().contains(broker)) {
                changes.add("the cluster reports broker " + broker + " as live");
                continue;
            }
            Optional<PartitionState> p = index.partition(tp);
            if (p.isEmpty()) {
                changes.add(tp + ": the partition is gone from the cluster metadata");
                continue;
            }
            if (!dropping.containsKey(tp) && !p.get().replicas().equals(d.currentReplicas())) {
                changes.add(tp + ": its replicas are now " + p.get().replicas() + ", the plan saw " + d.currentReplicas());
                continue;
            }
            DiskRef disk = new DiskRef(broker, d.replica().logDir());
            Optional<ReplicaOnDisk> onDisk = index.dir(disk).flatMap(dir -> dir.replicas().stream()
                    .filter(r -> r.partition().equals(tp) && !r.future()).findFirst());
            if (onDisk.isEmpty()) {
                changes.add(tp + ": no longer on " + disk);
                continue;
            }
            ReplicaVerdict verdict = rule.judge(disk, onDisk.get(), dropping.getOrDefault(tp, Set.of()));
            if (!verdict.safe()) {
                changes.add(tp + ": no longer safe to drop: " + verdict.reason());
            }
            if (d.target().isPresent()) {
                int target = d.target().getAsInt();
                if (!fresh.liveBrokers().contains(target)) {
                    changes.add(tp + ": target broker " + target + " is no longer live");
                } else if (p.get().replicas().contains(target)) {
                    changes.add(tp + ": target broker " + target + " already holds a replica");
                }
            }
            dropping.computeIfAbsent(tp, k -> new HashSet<>()).add(broker);
        }
        return changes;
    }
}
