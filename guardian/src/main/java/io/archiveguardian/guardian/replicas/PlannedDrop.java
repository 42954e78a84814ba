package io.archiveguardian.guardian.replicas;

import java.util.List;
import java.util.OptionalInt;

/**
 * One move of a plan: the replica to drop, and the reassignment that removes it from the broker.
 *
 * @param target      the broker that gets a new copy, or empty when the replication factor is reduced
 * @param newReplicas the replica set to submit
 */
public record PlannedDrop(
        ReplicaVerdict replica,
        List<Integer> currentReplicas,
        List<Integer> newReplicas,
        OptionalInt target) {

    public PlannedDrop {
        currentReplicas = List.copyOf(currentReplicas);
        newReplicas = List.copyOf(newReplicas);
    }

    public int currentReplicationFactor() {
        return currentReplicas.size();
    }

    public int resultingReplicationFactor() {
        return newReplicas.size();
    }
}
