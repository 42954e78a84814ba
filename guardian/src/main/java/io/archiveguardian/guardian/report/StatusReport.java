package io.archiveguardian.guardian.report;

import com.fasterxml.jackson.annotation.JsonAnyGetter;
import com.fasterxml.jackson.annotation.JsonIgnore;
import io.archiveguardian.guardian.GuardianVersion;
import io.archiveguardian.guardian.ballast.BallastReport;
import io.archiveguardian.guardian.ballast.ReserveView;
import io.archiveguardian.guardian.cluster.ClusterReachability;
import io.archiveguardian.guardian.cordon.CordonReport;
import io.archiveguardian.guardian.duty.StatusPart;
import io.archiveguardian.guardian.events.StateChangeEvent;
import io.archiveguardian.guardian.observe.Observation;
import io.archiveguardian.guardian.recovery.GuardReport;
import io.archiveguardian.guardian.retention.RetentionPass;
import io.archiveguardian.guardian.watch.WatchReport;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * What {@code /api/v1/status} and {@code guardian status --output json} return: the last pass and
 * every filesystem's ballast, the recovery guard's last assessment, the last retention check (null
 * when no archive topics are configured or no cluster), the most recent events (newest last), and
 * the watch step's pressure levels, forecasts and growth rates (null before the first pass), and the
 * cordon duty's last run (null before it ran, and in {@code guardian status} without a cluster or
 * when the cluster does not answer), and whether the cluster answered the last question (null when
 * no cluster is configured). A display: it is assembled from the duties' {@link StatusPart}s
 * ({@link #of}); the parts of duties this record does not name ({@code more}) appear under their
 * own keys and, on the status page, as their own lines.
 */
public record StatusReport(String guardianVersion, Observation observation, List<ReserveView> ballast,
                           GuardReport recovery, RetentionPass retention, List<StateChangeEvent> recentEvents,
                           WatchReport watch, CordonReport cordon, ClusterReachability cluster,
                           @JsonIgnore List<StatusPart> more) {

    public StatusReport {
        ballast = List.copyOf(ballast);
        recentEvents = List.copyOf(recentEvents);
        more = List.copyOf(more);
    }

    public StatusReport(String guardianVersion, Observation observation, List<ReserveView> ballast,
                        GuardReport recovery, RetentionPass retention, List<StateChangeEvent> recentEvents,
                        WatchReport watch, CordonReport cordon, ClusterReachability cluster) {
        this(guardianVersion, observation, ballast, recovery, retention, recentEvents, watch, cordon, cluster, List.of());
    }

    /** The report of one pass, from each duty's part. */
    public static StatusReport of(Observation observation, List<StateChangeEvent> recentEvents, List<StatusPart> parts) {
        List<ReserveView> ballast = List.of();
        GuardReport recovery = null;
        RetentionPass retention = null;
        WatchReport watch = null;
        CordonReport cordon = null;
        ClusterReachability cluster = null;
        List<StatusPart> more = new ArrayList<>();
        for (StatusPart part : parts) {
            if (part instanceof BallastReport b) {
                ballast = b.reserves();
            } else if (part instanceof GuardReport g) {
                recovery = g;
            } else if (part instanceof RetentionPass r) {
                retention = r;
            } else if (part instanceof WatchReport w) {
                watch = w;
            } else if (part instanceof CordonReport c) {
                cordon = c;
            } else if (part instanceof ClusterReachability c) {
                cluster = c;
            } else {
                more.add(part);
            }
        }
        return new StatusReport(version(), observation, ballast, recovery, retention, recentEvents, watch, cordon,
                cluster, more);
    }

    /** The parts of other duties, each under its own key. */
    @JsonAnyGetter
    public Map<String, Object> moreByKey() {
        Map<String, Object> byKey = new LinkedHashMap<>();
        more.forEach(p -> byKey.put(p.statusKey(), p));
        return byKey;
    }

    public static String version() {
        return GuardianVersion.current();
    }
}
