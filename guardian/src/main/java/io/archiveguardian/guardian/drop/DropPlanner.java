package io.archiveguardian.guardian.drop;

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
        return plan(snapshot, request, new ClusterFacts(java.util.Map.of(), silentSidecars));
    }

    /**
     * As {@link #plan(ClusterSnapshot, DropRequest)}, with what the cluster view knows applied (its
     * pressure levels on top of the snapshot's, its silent sidecars); the result carries the facts.
     */
    public static DropCandidates plan(ClusterSnapshot observed, DropRequest request, ClusterFacts facts) {
        ClusterSnapshot snapshot = observed.withPressures(facts.pressures());
        SnapshotIndex index = new SnapshotIndex(snapshot);
        SafetyRule rule = new SafetyRule(index, facts.silentSidecars());
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
        List<ReplicaVerdict> verdicts = all.stream().map(Candidate::verdict).toList();
        if (request.startEffects().isPresent()) {
            return new DropCandidates(snapshot, request, verdicts, planForStart(index, rule, request, all), facts);
        }
        List<Candidate> chosen = choose(all, request.needBytes(), rule);
        List<PlannedDrop> drops = new TargetChooser(index, request).assign(chosen);
        return new DropCandidates(snapshot, request, verdicts, new DropPlan(request.needBytes(), drops), facts);
    }

    /**
     * Plans exactly these partitions of the requested log dirs (what {@code prestart} printed):
     * each must be there and safe, else {@link IllegalStateException} naming why.
     */
    public static DropCandidates planExactly(ClusterSnapshot snapshot, DropRequest request, List<TopicPartition> partitions) {
        return planExactly(snapshot, request, partitions, ClusterFacts.NONE);
    }

    /** As {@link #planExactly(ClusterSnapshot, DropRequest, List)}, judged with these facts, as every plan is. */
    public static DropCandidates planExactly(ClusterSnapshot observed, DropRequest request, List<TopicPartition> partitions,
                                             ClusterFacts facts) {
        ClusterSnapshot snapshot = observed.withPressures(facts.pressures());
        DropCandidates all = plan(observed, new DropRequest(request.disks(), 0), facts);
        SnapshotIndex index = new SnapshotIndex(snapshot);
        SafetyRule rule = new SafetyRule(index, facts.silentSidecars());
        List<Candidate> chosen = new ArrayList<>();
        Map<TopicPartition, Set<Integer>> dropping = new HashMap<>();
        for (TopicPartition tp : partitions) {
            Candidate found = null;
            for (DiskRef disk : request.disks()) {
                for (ReplicaOnDisk r : index.dir(disk).map(LogDirState::replicas).orElse(List.of())) {
                    if (r.partition().equals(tp) && !r.future()) {
                        found = new Candidate(disk, r, rule.judge(disk, r, dropping.getOrDefault(tp, Set.of())));
                    }
                }
            }
            if (found == null) {
                throw new IllegalStateException(tp + " is not on " + request.disks());
            }
            if (!found.verdict().safe()) {
                throw new IllegalStateException(tp + " is not safe to drop: " + found.verdict().reason());
            }
            chosen.add(found);
            dropping.computeIfAbsent(tp, k -> new HashSet<>()).add(found.disk().broker());
        }
        List<PlannedDrop> drops = new TargetChooser(index, request).assign(chosen);
        long bytes = drops.stream().mapToLong(d -> d.replica().bytes()).sum();
        return new DropCandidates(snapshot, new DropRequest(request.disks(), bytes), all.replicas(), new DropPlan(bytes, drops),
                facts);
    }

    /**
     * Covers the next start's shortfall with both effects counted: a plan that keeps the local
     * copies (only the savings at the start count; undo possible) and one that deletes them (the
     * savings plus the freed disk bytes). The one with fewer moves wins, on a tie the one that keeps
     * the copies: every move costs the partition a copy either way, so fewer moves is less exposure.
     */
    private static DropPlan planForStart(SnapshotIndex index, SafetyRule rule, DropRequest request, List<Candidate> all) {
        StartEffects effects = request.startEffects().orElseThrow();
        Map<Candidate, Long> saved = new HashMap<>();
        for (Candidate c : all) {
            if (c.verdict().safe()) {
                saved.put(c, effects.savedAtStartBytes(Set.of(c.replica().partition())));
            }
        }
        Comparator<Candidate> bySaving = Comparator.comparingLong((Candidate c) -> saved.getOrDefault(c, 0L)).reversed()
                .thenComparing(LARGEST_FIRST);
        Comparator<Candidate> byBoth = Comparator.comparingLong((Candidate c) -> saved.getOrDefault(c, 0L)
                + c.verdict().diskBytes()).reversed().thenComparing(LARGEST_FIRST);
        Greedy keep = greedy(all, bySaving, rule, effects, false);
        Greedy delete = greedy(all, byBoth, rule, effects, true);
        boolean purge = !(keep.covers() && (!delete.covers() || keep.chosen().size() <= delete.chosen().size()));
        Greedy best = purge ? delete : keep;
        List<PlannedDrop> drops = new ArrayList<>();
        for (PlannedDrop d : new TargetChooser(index, request).assign(best.chosen())) {
            long s = saved.entrySet().stream().filter(e -> e.getKey().verdict().equals(d.replica()))
                    .mapToLong(Map.Entry::getValue).findFirst().orElse(0);
            drops.add(d.withSavedAtStart(s));
        }
        Set<TopicPartition> dropped = partitions(best.chosen());
        return new DropPlan(request.needBytes(), drops, DropPlan.Basis.START_NEED, purge,
                effects.savedAtStartBytes(dropped), best.shortfall(), keep.covers() ? keep.chosen().size() : -1);
    }

    private record Greedy(List<Candidate> chosen, long shortfall) {
        boolean covers() {
            return shortfall <= 0;
        }
    }

    /** Takes safe replicas in this order until the start fits (or none is left). */
    private static Greedy greedy(List<Candidate> all, Comparator<Candidate> order, SafetyRule rule, StartEffects effects,
                                 boolean delete) {
        List<Candidate> sorted = new ArrayList<>(all);
        sorted.sort(order);
        List<Candidate> chosen = new ArrayList<>();
        Map<TopicPartition, Set<Integer>> dropping = new HashMap<>();
        long shortfall = shortfall(effects, chosen, delete);
        for (Candidate c : sorted) {
            if (shortfall <= 0) {
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
            shortfall = shortfall(effects, chosen, delete);
        }
        return new Greedy(chosen, shortfall);
    }

    private static long shortfall(StartEffects effects, List<Candidate> chosen, boolean delete) {
        Map<String, Long> freed = new HashMap<>();
        if (delete) {
            chosen.forEach(c -> freed.merge(c.disk().logDir(), c.verdict().diskBytes(), Long::sum));
        }
        return effects.shortfallBytes(partitions(chosen), freed);
    }

    private static Set<TopicPartition> partitions(List<Candidate> chosen) {
        Set<TopicPartition> out = new HashSet<>();
        chosen.forEach(c -> out.add(c.replica().partition()));
        return out;
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
