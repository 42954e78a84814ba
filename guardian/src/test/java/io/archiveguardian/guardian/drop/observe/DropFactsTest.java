package io.archiveguardian.guardian.drop.observe;

import static org.assertj.core.api.Assertions.assertThat;

import io.archiveguardian.guardian.clusterview.ClusterView;
import io.archiveguardian.guardian.clusterview.Heartbeat;
import io.archiveguardian.guardian.drop.ClusterSnapshot;
import io.archiveguardian.guardian.drop.DropCandidates;
import io.archiveguardian.guardian.drop.DropRequest;
import io.archiveguardian.guardian.drop.LogDirState;
import io.archiveguardian.guardian.drop.PartitionState;
import io.archiveguardian.guardian.drop.ReplicaOnDisk;
import io.archiveguardian.guardian.drop.ReplicaVerdict;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** The drop planner with the cluster view's facts: silent sidecars and critical disks of the other copies. */
class DropFactsTest {

    static final long GIB = 1L << 30;
    static final Instant NOW = Instant.parse("2026-11-30T10:00:00Z");

    /** archive-0 on brokers 1, 2, 3 with min.insync.replicas=2: dropping it from 1 needs both 2 and 3. */
    static ClusterSnapshot snapshot() {
        PartitionState p = PartitionState.of("archive", 0, List.of(1, 2, 3), List.of(1, 2, 3), 2);
        List<LogDirState> dirs = new ArrayList<>();
        for (int b = 1; b <= 3; b++) {
            dirs.add(LogDirState.online(b, "/data/b" + b, 100 * GIB, 1000 * GIB,
                    List.of(ReplicaOnDisk.of("archive", 0, 5 * GIB))));
        }
        return ClusterSnapshot.of(NOW, Set.of(1, 2, 3), List.of(p), dirs);
    }

    static ClusterView.Broker broker(int id, String state, String pressure) {
        return new ClusterView.Broker(id, "host-" + id, state, "test", NOW, NOW, "RUNNING", pressure, 0, 0, 0, 0, 0,
                "test", NOW, List.of(new Heartbeat.Disk("/data", List.of("/data/b" + id), pressure, 0, 0, 0, 0, 0)));
    }

    static ClusterView view(String state, ClusterView.Broker... brokers) {
        return new ClusterView(NOW, state, "test", NOW, 0, false, null, "me:1",
                new ClusterView.Totals(brokers.length, 0, 0, 0, 0, 0, 0, 0, Map.of()), List.of(brokers), List.of());
    }

    static ReplicaVerdict verdict(ClusterView view) {
        DropCandidates c = DropFacts.of(view).plan(snapshot(), DropRequest.of(1, "/data/b1", 5 * GIB));
        return c.replicas().get(0);
    }

    @Test
    void aCopyOnABrokerWhoseSidecarIsSilentIsNotReliedOn() {
        ReplicaVerdict v = verdict(view("ok", broker(1, "alive", "high"), broker(2, "silent", "ok"), broker(3, "alive", "ok")));

        assertThat(v.safe()).isFalse();
        assertThat(v.reason()).isEqualTo("only 1 in-sync copy on a disk not at critical pressure with a sidecar that is "
                + "not silent [3], need max(1, min.insync.replicas=2) = 2 (the sidecar of broker 2 is silent in the "
                + "cluster view)");
    }

    @Test
    void aCopyOnADiskTheViewReportsCriticalIsNotReliedOn() {
        ReplicaVerdict v = verdict(view("ok", broker(1, "alive", "high"), broker(2, "alive", "ok"), broker(3, "alive", "critical")));

        assertThat(v.safe()).isFalse();
        assertThat(v.reason()).isEqualTo("only 1 in-sync copy on a disk not at critical pressure [2], need max(1, "
                + "min.insync.replicas=2) = 2 (log dir /data/b3 of broker 3 is at critical pressure (Kafka reports 100 GiB "
                + "usable of 1000 GiB))");
    }

    @Test
    void healthyCopiesOnLiveSidecarsKeepTheDropSafe() {
        ReplicaVerdict v = verdict(view("ok", broker(1, "alive", "critical"), broker(2, "alive", "high"), broker(3, "suspect", "ok")));

        assertThat(v.safe()).isTrue();
        assertThat(v.safeCopies()).containsExactly(2, 3);
    }

    @Test
    void aBrakedViewConvictsNoOneSoItsSuspectBrokersStillCount() {
        // After the brake, the would-be silent brokers are shown suspect: no copy is written off.
        ClusterView braked = view("suspect", broker(1, "alive", "ok"), broker(2, "suspect", "ok"), broker(3, "suspect", "ok"));
        assertThat(DropFacts.of(braked).silentSidecars()).isEmpty();
        assertThat(verdict(braked).safe()).isTrue();
    }

    @Test
    void aStaleViewDiscountsNoCopyAndThePlanSaysSo() {
        ClusterView fresh = view("ok", broker(1, "alive", "ok"), broker(2, "silent", "ok"), broker(3, "alive", "critical"));
        ClusterView stale = new ClusterView(NOW, "ok", "test", NOW.minusSeconds(600), 600, true, NOW.minusSeconds(600), "me:1",
                fresh.totals(), fresh.brokers(), List.of());

        DropCandidates c = DropFacts.of(stale).plan(snapshot(), DropRequest.of(1, "/data/b1", 5 * GIB));

        assertThat(c.replicas().get(0).safe()).as("neither the silent sidecar nor the critical report of a stale view counts").isTrue();
        assertThat(c.facts().view()).isEqualTo(io.archiveguardian.guardian.drop.ClusterFacts.View.STALE);
        assertThat(c.facts().viewDetail()).startsWith("the cluster view is stale since 2026-11-30T09:50:00Z: it discounts no copy");
        com.fasterxml.jackson.databind.JsonNode json = io.archiveguardian.guardian.drop.render.DropJson.candidates(c);
        assertThat(json.at("/cluster_view/state").asText()).isEqualTo("stale");
        assertThat(io.archiveguardian.guardian.drop.render.DropText.candidates(c))
                .contains("Cluster view: the cluster view is stale since 2026-11-30T09:50:00Z: it discounts no copy");
        assertThat(DropFacts.of(fresh).plan(snapshot(), DropRequest.of(1, "/data/b1", 5 * GIB)).facts().view())
                .isEqualTo(io.archiveguardian.guardian.drop.ClusterFacts.View.FRESH);
    }

    @Test
    void aHostPlansWithItsSidecarsViewButNotWithAViewThatDoesNotKnowItsBroker() {
        ClusterView view = view("ok", broker(1, "alive", "ok"), broker(2, "silent", "ok"), broker(3, "alive", "ok"));

        assertThat(DropFacts.forHost(view, 1, "http://127.0.0.1:9797").silentSidecars()).containsExactly(2);
        io.archiveguardian.guardian.drop.ClusterFacts foreign = DropFacts.forHost(view, 7, "http://127.0.0.1:9797");
        assertThat(foreign.view()).isEqualTo(io.archiveguardian.guardian.drop.ClusterFacts.View.NONE);
        assertThat(foreign.silentSidecars()).isEmpty();
        assertThat(foreign.viewDetail()).startsWith("the sidecar at http://127.0.0.1:9797 answered a view without broker 7");
    }
}
