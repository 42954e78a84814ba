package io.archiveguardian.guardian.drop;

import io.archiveguardian.guardian.text.Sizes;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.apache.kafka.common.TopicPartition;

/**
 * The safe-drop rule (docs/drop.md). A replica of partition P on broker B may be dropped only when
 * <ol>
 *   <li>B is not the last ISR member, nor (with an empty ISR) the last ELR / last-known ELR member;</li>
 *   <li>P has at least max(1, min.insync.replicas) in-sync replicas on other live brokers;</li>
 *   <li>the log dirs holding those copies are online;</li>
 *   <li>and, where pressure is known (Kafka's describeLogDirs totals at the guardian's thresholds, or the
 *   cluster view), not at critical pressure;</li>
 *   <li>and, where the cluster view knows them, not on a broker whose sidecar is silent.</li>
 * </ol>
 * Copies on brokers that the same plan already drops from P do not count. Each failed verdict names
 * exactly the condition that failed.
 */
final class SafetyRule {

    private final SnapshotIndex index;
    private final Set<Integer> silentSidecars;

    SafetyRule(SnapshotIndex index) {
        this(index, Set.of());
    }

    /** @param silentSidecars brokers whose sidecar the cluster view reports silent: their copies do not count */
    SafetyRule(SnapshotIndex index, Set<Integer> silentSidecars) {
        this.index = index;
        this.silentSidecars = Set.copyOf(silentSidecars);
    }

    ReplicaVerdict judge(DiskRef disk, ReplicaOnDisk replica, Set<Integer> alsoDropped) {
        TopicPartition tp = replica.partition();
        int broker = disk.broker();
        if (replica.future()) {
            return unsafe(disk, replica, "future replica of an alter-log-dirs move in progress; not a copy to drop");
        }
        Optional<PartitionState> found = index.partition(tp);
        if (found.isEmpty()) {
            return unsafe(disk, replica, "partition is not in the cluster metadata (deleted topic or stray directory)");
        }
        PartitionState p = found.get();
        if (!p.replicas().contains(broker)) {
            return unsafe(disk, replica, "broker " + broker + " is not in the replica set " + p.replicas());
        }
        if (p.reassigning()) {
            return unsafe(disk, replica, "a reassignment of this partition is in progress");
        }
        if (p.isr().equals(List.of(broker))) {
            return unsafe(disk, replica, "broker " + broker + " is the last ISR member (ISR " + p.isr() + ")");
        }
        if (p.isr().isEmpty() && isLastEligible(broker, p)) {
            return unsafe(disk, replica, "broker " + broker + " is the last ELR member (ISR [], ELR " + p.elr()
                    + ", last known ELR " + p.lastKnownElr() + ")");
        }
        return judgeCopies(disk, replica, p, alsoDropped);
    }

    private static boolean isLastEligible(int broker, PartitionState p) {
        List<Integer> eligible = p.elr().isEmpty() ? p.lastKnownElr() : p.elr();
        return eligible.equals(List.of(broker));
    }

    private ReplicaVerdict judgeCopies(DiskRef disk, ReplicaOnDisk replica, PartitionState p, Set<Integer> alsoDropped) {
        int need = p.requiredOtherCopies();
        String needed = "need max(1, min.insync.replicas=" + p.minInsyncReplicas() + ") = " + need;
        List<Integer> inSyncLive = new ArrayList<>();
        List<String> excluded = new ArrayList<>();
        for (int other : p.isr()) {
            if (other == disk.broker()) {
                continue;
            }
            if (alsoDropped.contains(other)) {
                excluded.add("broker " + other + " is dropped by this plan");
            } else if (!index.isLive(other)) {
                excluded.add("broker " + other + " is not live");
            } else {
                inSyncLive.add(other);
            }
        }
        if (inSyncLive.size() < need) {
            return unsafe(disk, replica, "only " + inSyncLive.size() + " in-sync replica" + plural(inSyncLive.size())
                    + " on other live brokers " + inSyncLive + ", " + needed + " (ISR " + p.isr() + ", replicas "
                    + p.replicas() + (excluded.isEmpty() ? "" : "; " + String.join(", ", excluded)) + ")");
        }
        List<LogDirState> onlineDirs = new ArrayList<>();
        List<Integer> onlineBrokers = new ArrayList<>();
        List<String> offline = new ArrayList<>();
        for (int other : inSyncLive) {
            Optional<LogDirState> dir = index.holder(p.partition(), other).filter(LogDirState::online);
            if (dir.isPresent()) {
                onlineDirs.add(dir.get());
                onlineBrokers.add(other);
            } else {
                offline.add(describeMissing(other));
            }
        }
        if (onlineDirs.size() < need) {
            return unsafe(disk, replica, "only " + onlineDirs.size() + " in-sync cop" + (onlineDirs.size() == 1 ? "y" : "ies")
                    + " on an online log dir " + onlineBrokers + ", " + needed + " (" + String.join(", ", offline) + ")");
        }
        List<Integer> healthy = new ArrayList<>();
        List<String> critical = new ArrayList<>();
        long headroom = Long.MAX_VALUE;
        for (int i = 0; i < onlineDirs.size(); i++) {
            LogDirState dir = onlineDirs.get(i);
            if (silentSidecars.contains(dir.broker())) {
                critical.add("the sidecar of broker " + dir.broker() + " is silent in the cluster view");
            } else if (dir.pressure() == DiskPressure.CRITICAL) {
                critical.add("log dir " + dir.path() + " of broker " + dir.broker() + " is at critical pressure"
                        + (dir.totalBytes() > 0 ? " (Kafka reports " + Sizes.human(dir.usableBytes())
                        + " usable of " + Sizes.human(dir.totalBytes()) + ")" : ""));
            } else {
                healthy.add(onlineBrokers.get(i));
                headroom = Math.min(headroom, dir.usableBytes());
            }
        }
        if (healthy.size() < need) {
            boolean silent = critical.stream().anyMatch(c -> c.startsWith("the sidecar of broker"));
            return unsafe(disk, replica, "only " + healthy.size() + " in-sync cop" + (healthy.size() == 1 ? "y" : "ies")
                    + " on a disk not at critical pressure" + (silent ? " with a sidecar that is not silent " : " ") + healthy + ", " + needed + " (" + String.join(", ", critical) + ")");
        }
        return new ReplicaVerdict(replica.partition(), disk.broker(), disk.logDir(), replica.bytes(), true,
                healthy.size() + " in-sync cop" + (healthy.size() == 1 ? "y" : "ies") + " on other live brokers "
                        + healthy + ", " + needed, healthy, headroom, replica.diskBytes());
    }

    private String describeMissing(int broker) {
        List<LogDirState> dirs = index.dirsOf(broker);
        if (dirs.isEmpty()) {
            return "no log dir of broker " + broker + " was reported";
        }
        List<String> offlineDirs = dirs.stream().filter(d -> !d.online()).map(LogDirState::path).toList();
        if (!offlineDirs.isEmpty()) {
            return "broker " + broker + " has offline log dir" + plural(offlineDirs.size()) + " " + offlineDirs
                    + " and no online log dir holds it";
        }
        return "no online log dir of broker " + broker + " holds it";
    }

    private static ReplicaVerdict unsafe(DiskRef disk, ReplicaOnDisk replica, String reason) {
        return new ReplicaVerdict(replica.partition(), disk.broker(), disk.logDir(), replica.bytes(), false, reason,
                List.of(), 0, replica.diskBytes());
    }

    private static String plural(int n) {
        return n == 1 ? "" : "s";
    }
}
