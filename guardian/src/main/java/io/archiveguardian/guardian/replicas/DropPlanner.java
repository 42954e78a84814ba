package io.archiveguardian.guardian.replicas;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.kafka.common.TopicPartition;

/**
 * Judges every replica on the requested log dirs and plans the drop: pure, no I/O.
 *
 * <p>Ranking (docs/drop.md): to free the requested bytes with the fewest moves, safe replicas are
 * taken largest first (taking the largest items first needs the fewest items to reach a sum). Then,
 * keeping that number of moves, a chosen replica is swapped for an unchosen one whose other copies
 * have more headroom whenever the plan still frees enough. A second replica of a partition is only
 * taken when the rule still holds without the first one.
 */
public final class DropPlanner {

    private static final Comparator<Candidate> LARGEST_FIRST = Comparator
            .comparingLong((Candidate c) -> c.verdict().bytes()).reversed()
            .thenComparing(Comparator.comparingLong((Candidate c) -> c.verdict().headroomBytes()).reversed())
            .thenComparing(c -> c.verdict().topic())
            .thenComparingInt(c -> c.verdict().partitionId())
            .thenComparingInt(c -> c.disk().broker());

    private DropPlanner() {
    }

    /**
     * @throws IllegalArgumentException when a requested log dir is not in the snapshot
     */
    public static DropCandidates plan(ClusterSnapshot snapshot, DropRequest request) {
        return plan(snapshot, request, Set.of());
    }

    /**
     * As {@link #plan(ClusterSnapshot, DropRequest)}, with the brokers whose sidecar the cluster view
     * reports silent: a copy there is not relied on (docs/cluster-view.md).
     */
    public static DropCandidates plan(ClusterSnapshot snapshot, DropRequest request, Set<Integer> silentSidecars) {
        SnapshotIndex index = new SnapshotIndex(snapshot);
        SafetyRule rule = new SafetyRule(index, silentSidecars);
        List<Candidate> all = new ArrayList<>();
        for (DiskRef disk : request.disks()) {
            LogDirState dir = index.dir(disk).orElseThrow(() -> new IllegalArgumentException(
                    "log dir " + disk.logDir() + " of broker " + disk.broker() + " is not in the cluster view; "
                            + "log dirs of broker " + disk.broker() + ": "
                            + index.dirsOf(disk.broker()).stream().map(LogDirState::path).toList()));
            for (ReplicaOnDisk replica : dir.replicas()) {
                all.add(new Candidate(disk, replica, rule.judge(disk, replica, Set.of())));
            }
        }
        all.sort(LARGEST_FIRST);
        List<Candidate> chosen = choose(all, request.needBytes(), rule);
        List<PlannedDrop> drops = new TargetChooser(index, request).assign(chosen);
        return new DropCandidates(snapshot, request, all.stream().map(Candidate::verdict).toList(),
                new DropPlan(request.needBytes(), drops));
    }

    private static List<Candidate> choose(List<Candidate> sorted, long need, SafetyRule rule) {
        List<Candidate> chosen = new ArrayList<>();
        Map<TopicPartition, Set<Integer>> dropping = new HashMap<>();
        long sum = 0;
        for (Candidate c : sorted) {
            if (sum >= need) {
                break;
            }
            if (!c.verdict().safe()) {
                continue;
            }
            Set<Integer> already = dropping.get(c.replica().partition());
            if (already != null && !rule.judge(c.disk(), c.replica(), already).safe()) {
                continue;
            }
            chosen.add(c);
            dropping.computeIfAbsent(c.replica().partition(), tp -> new HashSet<>()).add(c.disk().broker());
            sum += c.verdict().bytes();
        }
        if (sum < need) {
            return chosen;
        }
        return preferHeadroom(sorted, chosen, sum - need);
    }

    /** Same number of moves, still enough bytes, but other copies with more headroom where possible. */
    private static List<Candidate> preferHeadroom(List<Candidate> sorted, List<Candidate> chosen, long slack) {
        Map<TopicPartition, Integer> chosenPartitions = new HashMap<>();
        Set<Candidate> chosenSet = new HashSet<>(chosen);
        chosen.forEach(c -> chosenPartitions.merge(c.replica().partition(), 1, Integer::sum));
        List<Candidate> spare = new ArrayList<>();
        long largestSpare = 0;
        for (Candidate c : sorted) {
            if (c.verdict().safe() && !chosenSet.contains(c) && !chosenPartitions.containsKey(c.replica().partition())) {
                spare.add(c);
                largestSpare = Math.max(largestSpare, c.verdict().bytes());
            }
        }
        spare.sort(Comparator.comparingLong((Candidate c) -> c.verdict().headroomBytes()).reversed());
        boolean[] used = new boolean[spare.size()];
        int firstUnused = 0;
        List<Candidate> result = new ArrayList<>(chosen);
        List<Integer> order = new ArrayList<>();
        for (int i = 0; i < result.size(); i++) {
            order.add(i);
        }
        order.sort(Comparator.comparingLong(i -> result.get(i).verdict().headroomBytes()));
        for (int slot : order) {
            Candidate current = result.get(slot);
            long minBytes = current.verdict().bytes() - slack;
            if (minBytes > largestSpare) {
                continue;
            }
            while (firstUnused < used.length && used[firstUnused]) {
                firstUnused++;
            }
            for (int i = firstUnused; i < spare.size(); i++) {
                Candidate s = spare.get(i);
                if (s.verdict().headroomBytes() <= current.verdict().headroomBytes()) {
                    break;
                }
                if (used[i] || s.verdict().bytes() < minBytes || chosenPartitions.containsKey(s.replica().partition())) {
                    continue;
                }
                used[i] = true;
                slack += s.verdict().bytes() - current.verdict().bytes();
                chosenPartitions.merge(current.replica().partition(), -1, (a, b) -> a + b == 0 ? null : a + b);
                chosenPartitions.merge(s.replica().partition(), 1, Integer::sum);
                result.set(slot, s);
                break;
            }
        }
        result.sort(LARGEST_FIRST);
        return result;
    }

    /** A replica on one of the requested log dirs with its verdict. */
    record Candidate(DiskRef disk, ReplicaOnDisk replica, ReplicaVerdict verdict) {
    }
}
