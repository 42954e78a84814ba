package io.archiveguardian.guardian.drop;

import java.util.Map;
import java.util.Set;

/**
 * What the drop planner may learn beyond Kafka's own answers: the pressure of other brokers' disks
 * and the brokers whose guardian sidecar has gone silent, as the cluster view reports them. A copy
 * on a critical disk or on a silent sidecar's broker is not relied on (docs/cluster-view.md).
 * {@link #NONE} when there is no view (the CLI on a host, or {@code cluster.view.enabled=false}).
 */
public record ClusterFacts(Map<DiskRef, DiskPressure> pressures, Set<Integer> silentSidecars) {

    public static final ClusterFacts NONE = new ClusterFacts(Map.of(), Set.of());

    public ClusterFacts {
        pressures = Map.copyOf(pressures);
        silentSidecars = Set.copyOf(silentSidecars);
    }

    /** Plans the drop over {@code snapshot} with these facts applied. */
    public DropCandidates plan(ClusterSnapshot snapshot, DropRequest request) {
        return DropPlanner.plan(snapshot.withPressures(pressures), request, silentSidecars);
    }
}
