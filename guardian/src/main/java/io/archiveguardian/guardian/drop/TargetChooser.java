package io.archiveguardian.guardian.drop;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalInt;

/**
 * Picks the reassignment target of each planned drop: the live broker, outside the replica set and
 * outside the request, whose best log dir has the most usable bytes after the copies this plan already
 * sends there, and still keeps {@link #TARGET_FREE_RATIO} of its size free after taking the copy.
 * A log dir that is not cordoned (KIP-1066) is preferred over any cordoned one: the controller
 * places no new replica on a cordoned dir, and a cordon means that disk is under pressure.
 * With no such broker the replication factor is reduced instead.
 */
final class TargetChooser {

    /** A target must keep this share of its disk free after receiving the copy. */
    static final double TARGET_FREE_RATIO = 0.10;

    private final SnapshotIndex index;
    private final DropRequest request;
    private final Map<DiskRef, Long> incoming = new HashMap<>();

    TargetChooser(SnapshotIndex index, DropRequest request) {
        this.index = index;
        this.request = request;
    }

    List<PlannedDrop> assign(List<DropPlanner.Candidate> chosen) {
        Map<org.apache.kafka.common.TopicPartition, List<Integer>> replicasNow = new HashMap<>();
        List<PlannedDrop> drops = new ArrayList<>();
        for (DropPlanner.Candidate c : chosen) {
            PartitionState p = index.partition(c.replica().partition()).orElseThrow();
            List<Integer> current = replicasNow.getOrDefault(p.partition(), p.replicas());
            List<Integer> next = new ArrayList<>(current);
            next.remove(Integer.valueOf(c.disk().broker()));
            OptionalInt target = pickTarget(current, c.verdict().bytes());
            target.ifPresent(next::add);
            replicasNow.put(p.partition(), List.copyOf(next));
            drops.add(new PlannedDrop(c.verdict(), current, next, target));
        }
        return drops;
    }

    private OptionalInt pickTarget(List<Integer> replicas, long bytes) {
        LogDirState best = null;
        long bestRoom = -1;
        boolean bestCordoned = true;
        for (int broker : index.snapshot().liveBrokers().stream().sorted().toList()) {
            if (replicas.contains(broker) || request.covers(broker)) {
                continue;
            }
            for (LogDirState dir : index.dirsOf(broker)) {
                if (!dir.online() || dir.pressure() == DiskPressure.CRITICAL) {
                    continue;
                }
                long room = dir.usableBytes() - incoming.getOrDefault(new DiskRef(broker, dir.path()), 0L);
                long keepFree = (long) (dir.totalBytes() * TARGET_FREE_RATIO);
                boolean better = bestCordoned && !dir.cordoned() || bestCordoned == dir.cordoned() && room > bestRoom;
                if (room - bytes >= keepFree && (best == null || better)) {
                    best = dir;
                    bestRoom = room;
                    bestCordoned = dir.cordoned();
                }
            }
        }
        if (best == null) {
            return OptionalInt.empty();
        }
        incoming.merge(new DiskRef(best.broker(), best.path()), bytes, Long::sum);
        return OptionalInt.of(best.broker());
    }
}
