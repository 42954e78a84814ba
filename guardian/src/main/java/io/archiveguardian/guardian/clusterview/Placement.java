package io.archiveguardian.guardian.clusterview;

import java.time.Instant;
import java.util.List;

/**
 * Where one broker's replicas sit, as the Admin API reports it ({@code describeLogDirs} for the
 * broker, {@code describeTopics} for each partition's replica set). Produced by the broker's own
 * sidecar every {@code cluster.placement.refresh.ms} to the placement topic, keyed by broker id.
 */
public record Placement(int brokerId, Instant time, List<Replica> replicas) implements BrokerInput {

    public Placement {
        replicas = replicas == null ? List.of() : List.copyOf(replicas);
    }

    /** One replica on this broker: its log dir and the partition's whole replica set. */
    public record Replica(String topic, int partition, String logDir, List<Integer> replicas) {

        public Replica {
            replicas = replicas == null ? List.of() : List.copyOf(replicas);
        }

        public String partitionName() {
            return topic + "-" + partition;
        }
    }
}
