package io.archiveguardian.guardian.clusterview;

import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * What the per-broker processor keeps for one broker (store {@value ClusterTopology#BROKER_STORE})
 * and sends on to the cluster aggregate: the latest heartbeat, the latest placement, and the
 * detector's verdict.
 *
 * @param state               alive, suspect or silent
 * @param lastHeard           this observer's wall time when the last fresh heartbeat arrived
 * @param stateSince          when the state was entered
 * @param pressuredPartitions partitions with a replica on this broker on a disk at high or critical
 *                            pressure, with their whole replica set
 */
public record BrokerView(int brokerId, String state, String reason, Instant lastHeard, Instant stateSince,
                         Heartbeat heartbeat, Placement placement, Map<String, List<Integer>> pressuredPartitions) {

    public static final String ALIVE = "alive";
    public static final String SUSPECT = "suspect";
    public static final String SILENT = "silent";

    public BrokerView {
        pressuredPartitions = pressuredPartitions == null ? Map.of() : Map.copyOf(pressuredPartitions);
    }

    /** The same without the placement (the aggregate needs only the pressured partitions). */
    public BrokerView summary() {
        return new BrokerView(brokerId, state, reason, lastHeard, stateSince, heartbeat, null, pressuredPartitions);
    }

    public int replicaCount() {
        return placement == null ? 0 : placement.replicas().size();
    }
}
