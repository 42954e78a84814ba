package io.archiveguardian.guardian.report;

import io.archiveguardian.guardian.ballast.ReserveView;
import io.archiveguardian.guardian.cluster.ClusterReachability;
import io.archiveguardian.guardian.cordon.CordonReport;
import io.archiveguardian.guardian.events.StateChangeEvent;
import io.archiveguardian.guardian.observe.Observation;
import io.archiveguardian.guardian.recovery.GuardReport;
import io.archiveguardian.guardian.retention.RetentionPass;
import io.archiveguardian.guardian.watch.WatchReport;
import java.util.List;

/**
 * What {@code /api/v1/status} and {@code guardian status --output json} return: the last pass and
 * every filesystem's ballast, the recovery guard's last assessment, the last retention check (null
 * when no archive topics are configured or no cluster), the most recent events (newest last), and
 * the watch step's pressure levels, forecasts and growth rates (null before the first pass), and the
 * cordon duty's last run (null before it ran, and in {@code guardian status} without a cluster or
 * when the cluster does not answer), and whether the cluster answered the last question (null when
 * no cluster is configured).
 */
public record StatusReport(String guardianVersion, Observation observation, List<ReserveView> ballast,
                           GuardReport recovery, RetentionPass retention, List<StateChangeEvent> recentEvents,
                           WatchReport watch, CordonReport cordon, ClusterReachability cluster) {

    public StatusReport {
        ballast = List.copyOf(ballast);
        recentEvents = List.copyOf(recentEvents);
    }

    public static String version() {
        String v = StatusReport.class.getPackage().getImplementationVersion();
        return v == null ? "development" : v;
    }
}
