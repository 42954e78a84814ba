package io.archiveguardian.guardian.clusterview;

import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * The cluster as the sidecars report it: every broker's state after the detector and the brake,
 * totals, and the partitions whose every replica sits on a pressured disk. What
 * {@code GET /api/v1/cluster} and {@code guardian cluster --output json} return.
 *
 * @param state           ok; suspect when the mass-silence brake holds (the view itself may be cut
 *                        off); empty before any heartbeat
 * @param newestHeartbeat when the newest heartbeat of any sidecar arrived
 * @param ageSeconds      seconds since then, at {@code evaluatedAt}
 * @param stale           true when the view is older than the silence timeout (no sidecar heard,
 *                        not even this one: Kafka is unreachable) or answered from a standby copy
 * @param staleSince      when the view stopped being fresh (the newest heartbeat), when stale
 * @param answeredBy      the sidecar (host:port) whose Streams instance answered
 */
public record ClusterView(Instant evaluatedAt, String state, String reason, Instant newestHeartbeat, double ageSeconds,
                          boolean stale, Instant staleSince, String answeredBy, Totals totals, List<Broker> brokers,
                          List<PressuredPartition> allReplicasPressured) {

    public ClusterView {
        brokers = brokers == null ? List.of() : List.copyOf(brokers);
        allReplicasPressured = allReplicasPressured == null ? List.of() : List.copyOf(allReplicasPressured);
    }

    /** The same view as answered by {@code host}, marked stale when it came from a standby copy. */
    public ClusterView answeredBy(String host, boolean fromStandby) {
        boolean isStale = stale || fromStandby;
        return new ClusterView(evaluatedAt, state, reason, newestHeartbeat, ageSeconds, isStale,
                isStale ? (staleSince == null ? newestHeartbeat : staleSince) : null, host, totals, brokers,
                allReplicasPressured);
    }

    /** Totals, freshness and partitions as they are; of the brokers only those not alive, without filesystems. */
    public ClusterView summary() {
        List<Broker> notAlive = brokers.stream().filter(b -> !BrokerView.ALIVE.equals(b.state()))
                .map(b -> new Broker(b.brokerId(), b.host(), b.state(), b.reason(), b.lastHeard(), b.stateSince(),
                        b.brokerState(), b.pressure(), b.usableBytes(), b.headroomBytes(), b.armedBallastBytes(),
                        b.recommendedBallastBytes(), b.recoveryNeedBytes(), b.guardianVersion(), b.lastPass(), List.of()))
                .toList();
        return new ClusterView(evaluatedAt, state, reason, newestHeartbeat, ageSeconds, stale, staleSince, answeredBy,
                totals, notAlive, allReplicasPressured);
    }

    /** Sums over the brokers; pressure levels count each broker once, by its worst filesystem. */
    public record Totals(int brokers, int alive, int suspect, int silent, long armedBallastBytes, long headroomBytes,
                         long usableBytes, long recoveryNeedBytes, Map<String, Integer> brokersByPressure) {
        public Totals {
            brokersByPressure = Map.copyOf(brokersByPressure);
        }
    }

    /** One broker's line. {@code state}: alive, suspect or silent (after the brake). */
    public record Broker(int brokerId, String host, String state, String reason, Instant lastHeard, Instant stateSince,
                         String brokerState, String pressure, long usableBytes, long headroomBytes,
                         long armedBallastBytes, long recommendedBallastBytes, long recoveryNeedBytes,
                         String guardianVersion, Instant lastPass, List<Heartbeat.Disk> filesystems) {
        public Broker {
            filesystems = filesystems == null ? List.of() : List.copyOf(filesystems);
        }
    }

    /** A partition whose every replica sits on a disk at high or critical pressure. */
    public record PressuredPartition(String partition, List<Integer> replicas) {
        public PressuredPartition {
            replicas = List.copyOf(replicas);
        }
    }
}
