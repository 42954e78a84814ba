package io.archiveguardian.guardian.clusterview;

import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * What {@code GET /api/v1/cluster/brokers/{id}} returns: the detector's verdict on one broker (as
 * the instance in charge of it sees it, before the cluster-wide brake), its latest heartbeat, and how
 * many replicas it holds.
 */
public record BrokerDetail(int brokerId, String state, String reason, Instant lastHeard, Instant stateSince,
                           Heartbeat heartbeat, int replicas, Map<String, List<Integer>> pressuredPartitions,
                           String answeredBy, boolean stale) {

    static BrokerDetail of(BrokerView v, String answeredBy, boolean stale) {
        return new BrokerDetail(v.brokerId(), v.state(), v.reason(), v.lastHeard(), v.stateSince(), v.heartbeat(),
                v.replicaCount(), v.pressuredPartitions(), answeredBy, stale);
    }
}
