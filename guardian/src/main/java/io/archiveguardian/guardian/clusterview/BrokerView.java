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
 * @param clockOffsetMs       this observer's arrival time minus the sender's {@code sentAt}, of the
 *                            last heartbeat that proved life: the sender's clock offset plus the
 *                            transit time, against which lateness is judged (null: none yet)
 * @param lastOffsetMs        the same for the last heartbeat received, proof or not
 * @param lastReceived        this observer's time when the last heartbeat arrived, proof or not
 */
public record BrokerView(int brokerId, String state, String reason, Instant lastHeard, Instant stateSince,
                         Heartbeat heartbeat, Placement placement, Map<String, List<Integer>> pressuredPartitions,
                         Long clockOffsetMs, Long lastOffsetMs, Instant lastReceived) {

    /** Without the arrival facts (a placement only, a verdict of the detector, tests). */
    public BrokerView(int brokerId, String state, String reason, Instant lastHeard, Instant stateSince,
                      Heartbeat heartbeat, Placement placement, Map<String, List<Integer>> pressuredPartitions) {
        this(brokerId, state, reason, lastHeard, stateSince, heartbeat, placement, pressuredPartitions, null, null, null);
    }

    public static final String ALIVE = "alive";
    public static final String SUSPECT = "suspect";
    public static final String SILENT = "silent";

    public BrokerView {
        pressuredPartitions = pressuredPartitions == null ? Map.of() : Map.copyOf(pressuredPartitions);
    }

    /** The same without the placement (the aggregate needs only the pressured partitions). */
    public BrokerView summary() {
        return new BrokerView(brokerId, state, reason, lastHeard, stateSince, heartbeat, null, pressuredPartitions,
                clockOffsetMs, lastOffsetMs, lastReceived);
    }

    public int replicaCount() {
        return placement == null ? 0 : placement.replicas().size();
    }
}
