package io.archiveguardian.guardian.http;

import io.archiveguardian.guardian.ballast.BallastDuty;
import io.archiveguardian.guardian.cluster.ClusterConnection;
import io.archiveguardian.guardian.clusterview.ClusterQueries;
import io.archiveguardian.guardian.config.GuardianSettings;
import io.archiveguardian.guardian.metrics.GuardianMetrics;
import io.archiveguardian.guardian.drop.observe.DropCandidatesDuty;
import io.archiveguardian.guardian.report.StatusReport;
import java.util.Optional;

/**
 * What the HTTP API needs from the running sidecar. The orchestrator implements it, so {@code http}
 * depends on this small view and never on the orchestrator itself.
 */
public interface SidecarView {

    GuardianSettings settings();

    GuardianMetrics metrics();

    /** Healthy while the local loop keeps completing passes. */
    boolean healthy();

    /** Ready once the first pass completed. */
    boolean ready();

    /** The last pass, or empty before the first one. */
    Optional<StatusReport> status();

    BallastDuty ballast();

    DropCandidatesDuty dropCandidates();

    ClusterConnection cluster();

    /** The cluster view (heartbeats aggregated by Kafka Streams); answers 404 when it is off. */
    default ClusterQueries clusterView() {
        return ClusterQueries.off("this sidecar has none");
    }
}
