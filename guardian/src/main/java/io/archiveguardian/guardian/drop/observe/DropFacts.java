package io.archiveguardian.guardian.drop.observe;

import io.archiveguardian.guardian.clusterview.BrokerView;
import io.archiveguardian.guardian.clusterview.ClusterView;
import io.archiveguardian.guardian.clusterview.Heartbeat;
import io.archiveguardian.guardian.disk.PressureLevel;

import io.archiveguardian.guardian.drop.ClusterFacts;
import io.archiveguardian.guardian.drop.ClusterSnapshot;
import io.archiveguardian.guardian.drop.DiskPressure;
import io.archiveguardian.guardian.drop.DiskRef;
import io.archiveguardian.guardian.drop.DropCandidates;
import io.archiveguardian.guardian.drop.DropRequest;
import java.time.Instant;
import java.util.HashMap;
import java.util.Optional;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * Pure: what the drop planner takes from the cluster view. Every log dir a sidecar reports gets its
 * disk's pressure (critical or normal), and brokers whose sidecar is silent (after the mass-silence
 * brake: a braked view convicts no one) are not relied on for the other copies. A <b>stale</b> view
 * gives nothing: no copy is discounted on old news, and {@link #facts()} says the view was stale.
 */
public record DropFacts(Map<DiskRef, DiskPressure> pressures, Set<Integer> silentSidecars, Optional<Instant> staleSince) {

    public DropFacts {
        pressures = Map.copyOf(pressures);
        silentSidecars = Set.copyOf(silentSidecars);
    }

    public DropFacts(Map<DiskRef, DiskPressure> pressures, Set<Integer> silentSidecars) {
        this(pressures, silentSidecars, Optional.empty());
    }

    public static DropFacts of(ClusterView view) {
        if (view.stale()) {
            Instant since = view.staleSince() != null ? view.staleSince() : view.newestHeartbeat();
            return new DropFacts(Map.of(), Set.of(), Optional.of(since == null ? Instant.EPOCH : since));
        }
        Map<DiskRef, DiskPressure> pressures = new HashMap<>();
        Set<Integer> silent = new TreeSet<>();
        for (ClusterView.Broker b : view.brokers()) {
            if (BrokerView.SILENT.equals(b.state())) {
                silent.add(b.brokerId());
            }
            for (Heartbeat.Disk d : b.filesystems()) {
                DiskPressure p = d.level().map(l -> l == PressureLevel.CRITICAL ? DiskPressure.CRITICAL : DiskPressure.NORMAL)
                        .orElse(DiskPressure.UNKNOWN);
                d.logDirs().forEach(dir -> pressures.put(new DiskRef(b.brokerId(), dir), p));
            }
        }
        return new DropFacts(pressures, silent);
    }

    /**
     * The facts a command on broker {@code localBroker}'s host plans with, from the view the sidecar
     * at {@code source} answered. A view that does not know this broker is another cluster's (or
     * its sidecar has never been heard): it discounts nothing, and the plan says so.
     */
    public static ClusterFacts forHost(ClusterView view, int localBroker, String source) {
        if (view.brokers().stream().noneMatch(b -> b.brokerId() == localBroker)) {
            return ClusterFacts.none("the sidecar at " + source + " answered a view without broker " + localBroker
                    + " (another cluster's sidecar, or none of this broker's heartbeats has reached it)");
        }
        return of(view).facts();
    }

    /** Plans the drop with these facts applied. */
    public DropCandidates plan(ClusterSnapshot snapshot, DropRequest request) {
        return facts().plan(snapshot, request);
    }

    /** These facts as the drop planner takes them; a stale view's say so and discount nothing. */
    public ClusterFacts facts() {
        return staleSince.map(since -> ClusterFacts.stale(Instant.EPOCH.equals(since) ? null : since))
                .orElseGet(() -> new ClusterFacts(pressures, silentSidecars));
    }
}
