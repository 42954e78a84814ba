package io.archiveguardian.guardian.drop;

import java.util.List;

/**
 * Every replica on the requested log dirs with its verdict (largest first), and the plan. What
 * {@code guardian drop-candidates}, {@code /api/v1/drop-candidates} and the metric
 * {@code guardian_drop_candidates_bytes{logdir}} report.
 *
 * @param facts what the plan knew beyond Kafka's answers (the cluster view, or why none); the
 *              re-check before a drop is carried out applies the same
 */
public record DropCandidates(ClusterSnapshot snapshot, DropRequest request, List<ReplicaVerdict> replicas, DropPlan plan,
                             ClusterFacts facts) {

    public DropCandidates {
        replicas = List.copyOf(replicas);
    }

    /** Planned without a cluster view. */
    public DropCandidates(ClusterSnapshot snapshot, DropRequest request, List<ReplicaVerdict> replicas, DropPlan plan) {
        this(snapshot, request, replicas, plan, ClusterFacts.NONE);
    }

    /** The same candidates with {@code newPlan}. */
    public DropCandidates withPlan(DropPlan newPlan) {
        return new DropCandidates(snapshot, request, replicas, newPlan, facts);
    }

    /** Bytes of all replicas on {@code logDir} that are safe to drop, one by one (the metric's value). */
    public long safeBytes(String logDir) {
        return replicas.stream().filter(r -> r.safe() && r.logDir().equals(logDir)).mapToLong(ReplicaVerdict::bytes).sum();
    }

    public long safeBytes() {
        return replicas.stream().filter(ReplicaVerdict::safe).mapToLong(ReplicaVerdict::bytes).sum();
    }

    public List<ReplicaVerdict> safe() {
        return replicas.stream().filter(ReplicaVerdict::safe).toList();
    }
}
