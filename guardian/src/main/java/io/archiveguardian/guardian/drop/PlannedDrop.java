package io.archiveguardian.guardian.drop;

import java.util.List;
import java.util.OptionalInt;

/**
 * One move of a plan: the replica to drop, and the reassignment that removes it from the broker.
 *
 * @param target            the broker that gets a new copy, or empty when the replication factor is reduced
 * @param newReplicas       the replica set to submit
 * @param savedAtStartBytes what the next start needs less without this replica (its recovery and
 *                          catch-up); 0 when the plan was not made against the start's need
 */
public record PlannedDrop(
        ReplicaVerdict replica,
        List<Integer> currentReplicas,
        List<Integer> newReplicas,
        OptionalInt target,
        long savedAtStartBytes) {

    public PlannedDrop {
        currentReplicas = List.copyOf(currentReplicas);
        newReplicas = List.copyOf(newReplicas);
    }

    public PlannedDrop(ReplicaVerdict replica, List<Integer> currentReplicas, List<Integer> newReplicas, OptionalInt target) {
        this(replica, currentReplicas, newReplicas, target, 0);
    }

    public PlannedDrop withSavedAtStart(long bytes) {
        return new PlannedDrop(replica, currentReplicas, newReplicas, target, bytes);
    }

    public int currentReplicationFactor() {
        return currentReplicas.size();
    }

    public int resultingReplicationFactor() {
        return newReplicas.size();
    }

    /** The brokers that keep the data once this copy is gone: the remaining replicas and the new one. */
    public List<Integer> dataStaysOn() {
        return newReplicas;
    }
}
