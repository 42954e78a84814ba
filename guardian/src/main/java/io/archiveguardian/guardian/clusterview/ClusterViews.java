package io.archiveguardian.guardian.clusterview;

import io.archiveguardian.guardian.text.Plural;
import io.archiveguardian.guardian.text.Times;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/** Pure: the cluster view from the brokers' summaries (the "cluster" store), at one moment. */
public final class ClusterViews {

    private static final List<String> LEVELS = List.of("ok", "warn", "high", "critical");

    private ClusterViews() {
    }

    public static ClusterView assess(List<BrokerView> summaries, DetectorSettings detector, Instant now) {
        List<BrokerView> heard = summaries.stream().filter(v -> v.heartbeat() != null)
                .sorted(Comparator.comparingInt(BrokerView::brokerId)).toList();
        long silent = heard.stream().filter(v -> BrokerView.SILENT.equals(v.state())).count();
        boolean brake = silent >= 2 && silent > detector.brakeRatio() * heard.size();
        String brakeReason = brake ? String.format(java.util.Locale.ROOT,
                "mass silence: %d of %d sidecars silent at once (more than %.0f%%); the view itself may be cut off, "
                        + "so none is convicted", silent, heard.size(), detector.brakeRatio() * 100) : null;

        List<ClusterView.Broker> brokers = new ArrayList<>();
        int alive = 0;
        int suspect = 0;
        int silentShown = 0;
        long armed = 0;
        long headroom = 0;
        long usable = 0;
        long need = 0;
        Map<String, Integer> byPressure = new TreeMap<>();
        LEVELS.forEach(l -> byPressure.put(l, 0));
        Instant newest = null;
        for (BrokerView v : heard) {
            String state = v.state();
            String reason = v.reason();
            if (brake && BrokerView.SILENT.equals(state)) {
                state = BrokerView.SUSPECT;
                reason = brakeReason + "; " + v.reason();
            }
            switch (state) {
                case BrokerView.ALIVE -> alive++;
                case BrokerView.SUSPECT -> suspect++;
                case BrokerView.SILENT -> silentShown++;
                default -> { }
            }
            Heartbeat h = v.heartbeat();
            long bArmed = 0;
            long bHeadroom = 0;
            long bUsable = 0;
            long bNeed = 0;
            long bRecommended = 0;
            String worst = null;
            for (Heartbeat.Disk d : h.filesystems()) {
                bArmed += d.armedBallastBytes();
                bHeadroom += d.headroomBytes();
                bUsable += d.usableBytes();
                bNeed += d.recoveryNeedBytes();
                bRecommended += d.recommendedBallastBytes();
                if (LEVELS.contains(d.pressure()) && (worst == null || LEVELS.indexOf(d.pressure()) > LEVELS.indexOf(worst))) {
                    worst = d.pressure();
                }
            }
            if (worst != null) {
                byPressure.merge(worst, 1, Integer::sum);
            }
            armed += bArmed;
            headroom += bHeadroom;
            usable += bUsable;
            need += bNeed;
            if (v.lastHeard() != null && (newest == null || v.lastHeard().isAfter(newest))) {
                newest = v.lastHeard();
            }
            brokers.add(new ClusterView.Broker(v.brokerId(), h.host(), state, reason, v.lastHeard(), v.stateSince(),
                    h.brokerState(), worst == null ? "unknown" : worst, bUsable, bHeadroom, bArmed, bRecommended, bNeed,
                    h.guardianVersion(), h.lastPass(), h.filesystems()));
        }
        double age = newest == null ? Double.NaN : Math.max(0, Duration.between(newest, now).toMillis() / 1000.0);
        boolean stale = newest != null && Duration.between(newest, now).compareTo(detector.silenceTimeout()) >= 0;
        String state = heard.isEmpty() ? "empty" : brake ? "suspect" : "ok";
        String reason = heard.isEmpty() ? "no heartbeat received yet"
                : brake ? brakeReason
                : stale ? "no heartbeat from any sidecar since " + Times.local(newest) + ": Kafka or this view is cut off"
                : Plural.of(heard.size(), "sidecar") + " heard";
        ClusterView.Totals totals = new ClusterView.Totals(heard.size(), alive, suspect, silentShown, armed, headroom,
                usable, need, byPressure);
        return new ClusterView(now, state, reason, newest, age, stale, stale ? newest : null, null, totals, brokers,
                allReplicasPressured(heard));
    }

    /** Partitions listed as pressured by every broker of their replica set (and known to all of them). */
    static List<ClusterView.PressuredPartition> allReplicasPressured(List<BrokerView> views) {
        Map<Integer, Set<String>> pressuredBy = new HashMap<>();
        Map<String, List<Integer>> replicaSets = new TreeMap<>();
        for (BrokerView v : views) {
            pressuredBy.put(v.brokerId(), new HashSet<>(v.pressuredPartitions().keySet()));
            replicaSets.putAll(v.pressuredPartitions());
        }
        List<ClusterView.PressuredPartition> out = new ArrayList<>();
        for (Map.Entry<String, List<Integer>> e : replicaSets.entrySet()) {
            boolean all = !e.getValue().isEmpty() && e.getValue().stream()
                    .allMatch(r -> pressuredBy.getOrDefault(r, Set.of()).contains(e.getKey()));
            if (all) {
                out.add(new ClusterView.PressuredPartition(e.getKey(), e.getValue()));
            }
        }
        return out;
    }
}
