package io.archiveguardian.guardian.cluster;

import io.archiveguardian.guardian.duty.StatusPart;
import java.time.Instant;

/**
 * Whether the cluster answered the guardian's last question, as {@code /api/v1/status} and
 * {@code guardian status} show it next to {@code guardian_cluster_reachable}.
 *
 * @param bootstrapServers the address asked
 * @param reachable        true when it answered, false when it did not; null before the first answer
 * @param clusterId        the id it gave, when it answered
 * @param checkedAt        when the last answer (or the failure to answer) came; null before
 * @param since            when the current state began (the first answer, or the change)
 * @param detail           why it did not answer, with what to check; null when it answered
 */
public record ClusterReachability(String bootstrapServers, Boolean reachable, String clusterId, Instant checkedAt,
                                  Instant since, String detail) implements StatusPart {

    static ClusterReachability notAskedYet(String bootstrapServers) {
        return new ClusterReachability(bootstrapServers, null, null, null, null, "the cluster has not been asked yet");
    }

    /** The state after one more answer, {@code since} kept while the state stays the same. */
    ClusterReachability next(boolean answered, String id, String why, Instant at) {
        boolean same = reachable != null && reachable == answered;
        return new ClusterReachability(bootstrapServers, answered, answered ? id : null, at, same ? since : at,
                answered ? null : why);
    }

    @Override
    public String statusKey() {
        return "cluster";
    }
}
