package io.archiveguardian.guardian.sidecar;

import io.archiveguardian.guardian.ballast.ArmDuty;
import io.archiveguardian.guardian.ballast.BallastDuty;
import io.archiveguardian.guardian.ballast.BallastService;
import io.archiveguardian.guardian.ballast.UnderReplication;
import io.archiveguardian.guardian.cluster.ClusterConnection;
import io.archiveguardian.guardian.clusterview.ClusterViewService;
import io.archiveguardian.guardian.config.GuardianConfig;
import io.archiveguardian.guardian.config.GuardianSettings;
import io.archiveguardian.guardian.cordon.CordonDuty;
import io.archiveguardian.guardian.cordon.CordonSettings;
import io.archiveguardian.guardian.drop.ClusterFacts;
import io.archiveguardian.guardian.drop.observe.DropCandidatesDuty;
import io.archiveguardian.guardian.drop.observe.DropFacts;
import io.archiveguardian.guardian.duty.Duty;
import io.archiveguardian.guardian.move.MoveDuty;
import io.archiveguardian.guardian.pressure.CriticalReleaseDuty;
import io.archiveguardian.guardian.recovery.RecoveryDuty;
import io.archiveguardian.guardian.retention.RetentionDuty;
import io.archiveguardian.guardian.stop.StopDuty;
import io.archiveguardian.guardian.watch.WatchDuty;
import io.archiveguardian.reserve.ReserveObserver;
import java.time.Clock;
import java.time.Duration;
import java.util.List;

/**
 * The one place a capability joins the running sidecar: the duties in the order a pass runs them,
 * each reading the facts of those before it, and the handles the HTTP API needs.
 */
record SidecarDuties(ClusterConnection cluster, BallastDuty ballast, DropCandidatesDuty dropCandidates,
                     ClusterViewService clusterView, List<Duty> all) {

    static SidecarDuties standard(GuardianSettings settings, Clock clock) {
        ClusterConnection cluster = new ClusterConnection(settings);
        BallastDuty ballast = new BallastDuty(BallastService.create(settings, "guardian run", ReserveObserver.NONE), clock,
                Duration.ofMillis(settings.config().getLong(GuardianConfig.RESERVE_REARM_DELAY_MS)));
        RecoveryDuty recovery = new RecoveryDuty(settings, clock, ballast);
        ClusterViewService clusterView = new ClusterViewService(settings, clock, cluster::admin);
        DropCandidatesDuty dropCandidates = new DropCandidatesDuty(settings, clock,
                Duration.ofMillis(settings.config().getLong(GuardianConfig.DROP_CANDIDATES_INTERVAL_MS)),
                () -> clusterView.viewForDrop().map(v -> DropFacts.of(v).facts())
                        .orElseGet(() -> ClusterFacts.none("the cluster view did not answer")),
                facts -> recovery.startEffects(facts.observation(), ballast.latest()));
        StopDuty stop = new StopDuty(settings, clock, ballast);
        UnderReplication underReplication = new UnderReplication(settings.nodeId(), settings.adminTimeout(),
                settings.scanInterval().multipliedBy(3).plus(settings.adminTimeout()), clock);
        return new SidecarDuties(cluster, ballast, dropCandidates, clusterView, List.of(
                cluster,                                    // cluster lane: probes first; status: reachability
                ballast,                                    // armed and planned ballast per filesystem
                WatchDuty.create(settings),                 // pressure levels, write rates
                recovery,                                   // the next start's need; the guard's release
                new CordonDuty(CordonSettings.of(settings), cluster::admin, clock), // its own thread
                new MoveDuty(settings, clock, stop::brinkMounts), // lane 'move': replicas to a sibling log dir (JBOD)
                new CriticalReleaseDuty(ballast),           // a pressure action: a tier at critical
                new ArmDuty(ballast, underReplication),     // arm or re-arm one tier, sized by recovery
                stop,                                       // guard tick: the brink, a clean stop last
                new RetentionDuty(settings, clock),         // cluster round: check and repair retention
                dropCandidates,                             // cluster round: safe-to-drop replicas
                clusterView));                              // last: the pass's heartbeat
    }
}
