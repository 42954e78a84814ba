package io.archiveguardian.guardian.drop;

import java.time.Instant;
import java.util.Map;
import java.util.Set;

/**
 * What the drop planner may learn beyond Kafka's own answers: the pressure of other brokers' disks
 * and the brokers whose guardian sidecar has gone silent, as the cluster view reports them. A copy
 * on a critical disk or on a silent sidecar's broker is not relied on (docs/cluster-view.md).
 * Every plan carries the facts it was made with, and the re-check under {@code .lock} applies the
 * same ones ({@link PlanRecheck}).
 *
 * <p>Other brokers' disk pressure does not depend on the view: {@code describeLogDirs} reports
 * every log dir's total and usable bytes (KIP-827), which the observer turns into a pressure level
 * with the guardian's own thresholds. The view adds what only the sidecars know (silent sidecars,
 * their own levels); a <b>stale</b> view adds nothing, and says so in {@link #viewDetail}.
 *
 * @param view       whether a view was used: {@link View#FRESH}, {@link View#STALE} (discounts nothing),
 *                   or {@link View#NONE} (no view here: the CLI on a host, or {@code cluster.view.enabled=false})
 * @param viewDetail one sentence on the view, for the plan's text and JSON
 */
public record ClusterFacts(Map<DiskRef, DiskPressure> pressures, Set<Integer> silentSidecars, View view, String viewDetail) {

    /** How the cluster view took part in a plan. */
    public enum View { FRESH, STALE, NONE }

    /** No view: disk pressure from describeLogDirs only, silent sidecars not judged. */
    public static final ClusterFacts NONE = none("no cluster view was consulted");

    public ClusterFacts {
        pressures = Map.copyOf(pressures);
        silentSidecars = Set.copyOf(silentSidecars);
    }

    /** Facts from a fresh view. */
    public ClusterFacts(Map<DiskRef, DiskPressure> pressures, Set<Integer> silentSidecars) {
        this(pressures, silentSidecars, View.FRESH, "the cluster view is fresh: "
                + (silentSidecars.isEmpty() ? "no sidecar is silent" : "the copies on brokers " + silentSidecars.stream().sorted().toList()
                + " are not relied on, their sidecars are silent"));
    }

    /** No view, with why. */
    public static ClusterFacts none(String why) {
        return new ClusterFacts(Map.of(), Set.of(), View.NONE, why + ": silent sidecars are not judged; "
                + "other brokers' disk pressure comes from describeLogDirs");
    }

    /** A stale view: it discounts no copy, and the plan says so. */
    public static ClusterFacts stale(Instant since) {
        return new ClusterFacts(Map.of(), Set.of(), View.STALE, "the cluster view is stale"
                + (since == null ? "" : " since " + since) + ": it discounts no copy (neither its silent sidecars nor its "
                + "pressure levels are used); other brokers' disk pressure comes from describeLogDirs");
    }

    /** Plans the drop over {@code snapshot} with these facts applied. */
    public DropCandidates plan(ClusterSnapshot snapshot, DropRequest request) {
        return DropPlanner.plan(snapshot, request, this);
    }
}
