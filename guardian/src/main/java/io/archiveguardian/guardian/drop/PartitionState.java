package io.archiveguardian.guardian.drop;

import java.util.List;
import org.apache.kafka.common.TopicPartition;

/**
 * One partition as the controller sees it.
 *
 * @param replicas          the assigned replicas, preferred leader first
 * @param isr               the in-sync replicas
 * @param elr               the eligible leader replicas (KIP-966), empty when unknown
 * @param lastKnownElr      the last known ELR (KIP-966), empty when unknown
 * @param minInsyncReplicas the topic's effective {@code min.insync.replicas}
 * @param reassigning       whether a partition reassignment is in progress
 */
public record PartitionState(
        TopicPartition partition,
        List<Integer> replicas,
        List<Integer> isr,
        List<Integer> elr,
        List<Integer> lastKnownElr,
        int minInsyncReplicas,
        boolean reassigning) {

    public PartitionState {
        replicas = List.copyOf(replicas);
        isr = List.copyOf(isr);
        elr = List.copyOf(elr);
        lastKnownElr = List.copyOf(lastKnownElr);
    }

    /** A partition without ELR information and no reassignment in progress. */
    public static PartitionState of(String topic, int partition, List<Integer> replicas, List<Integer> isr,
                                    int minInsyncReplicas) {
        return new PartitionState(new TopicPartition(topic, partition), replicas, isr, List.of(), List.of(),
                minInsyncReplicas, false);
    }

    /** The number of other in-sync copies a drop needs: max(1, min.insync.replicas). */
    public int requiredOtherCopies() {
        return Math.max(1, minInsyncReplicas);
    }
}
