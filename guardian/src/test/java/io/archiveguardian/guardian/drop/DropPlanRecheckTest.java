package io.archiveguardian.guardian.drop;

import static io.archiveguardian.guardian.drop.ClusterFixture.GIB;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

class DropPlanRecheckTest {

    private static ClusterFixture cluster() {
        return ClusterFixture.brokers(1, 2, 3, 4).stopped(1).usable(4, 500 * GIB)
                .partition("a", 0, List.of(1, 2, 3), List.of(2, 3), 1, 10 * GIB);
    }

    @Test
    void anUnchangedClusterPassesTheRecheck() {
        DropCandidates planned = cluster().plan(1, GIB);

        assertThat(PlanRecheck.changes(planned, cluster().snapshot())).isEmpty();
    }

    @Test
    void anIsrThatShrankSinceThePlanFailsTheRecheckWithTheRule() {
        DropCandidates planned = cluster().plan(1, GIB);
        ClusterSnapshot fresh = ClusterFixture.brokers(1, 2, 3, 4).stopped(1)
                .partition("a", 0, List.of(1, 2, 3), List.of(2), 2, 10 * GIB).snapshot();

        assertThat(PlanRecheck.changes(planned, fresh)).containsExactly("a-0: no longer safe to drop: only 1 in-sync replica "
                + "on other live brokers [2], need max(1, min.insync.replicas=2) = 2 (ISR [2], replicas [1, 2, 3])");
    }

    @Test
    void aReplicaSetChangedSinceThePlanFailsTheRecheck() {
        DropCandidates planned = cluster().plan(1, GIB);
        ClusterSnapshot fresh = ClusterFixture.brokers(1, 2, 3, 4).stopped(1)
                .partition("a", 0, List.of(1, 2, 4), List.of(2, 4), 1, 10 * GIB).snapshot();

        assertThat(PlanRecheck.changes(planned, fresh)).containsExactly("a-0: its replicas are now [1, 2, 4], the plan saw [1, 2, 3]");
    }

    @Test
    void aTargetThatWentAwayOrTheLocalBrokerComingBackFailsTheRecheck() {
        DropCandidates planned = cluster().plan(1, GIB);
        assertThat(planned.plan().drops().get(0).target()).hasValue(4);

        assertThat(PlanRecheck.changes(planned, cluster().stopped(4).snapshot()))
                .containsExactly("a-0: target broker 4 is no longer live");
        assertThat(PlanRecheck.changes(planned, ClusterFixture.brokers(1, 2, 3, 4).usable(4, 500 * GIB)
                .partition("a", 0, List.of(1, 2, 3), List.of(2, 3), 1, 10 * GIB).snapshot()))
                .containsExactly("the cluster reports broker 1 as live");
    }

    @Test
    void theRecheckUnderTheLockReliesOnNoCopyThePlansFactsRuledOut() {
        // The plan knew broker 3's sidecar silent: archive-0 was safe on broker 2's copy alone.
        ClusterFacts facts = new ClusterFacts(java.util.Map.of(), java.util.Set.of(3));
        DropCandidates planned = facts.plan(cluster().snapshot(), DropRequest.of(1, ClusterFixture.dir(1), GIB));
        assertThat(planned.plan().drops()).hasSize(1);
        // Then broker 2 left the ISR: only broker 3's copy is in sync, and the plan may not count it.
        ClusterSnapshot fresh = ClusterFixture.brokers(1, 2, 3, 4).stopped(1).usable(4, 500 * GIB)
                .partition("a", 0, List.of(1, 2, 3), List.of(3), 1, 10 * GIB).snapshot();

        assertThat(PlanRecheck.changes(planned, fresh)).containsExactly("a-0: no longer safe to drop: only 0 in-sync copies "
                + "on a disk not at critical pressure with a sidecar that is not silent [], need max(1, min.insync.replicas=1) = 1 "
                + "(the sidecar of broker 3 is silent in the cluster view)");
    }

    @Test
    void aDiskKafkaReportsCriticalInTheFreshSnapshotFailsTheRecheckWithItsNumbers() {
        DropCandidates planned = cluster().plan(1, GIB);
        ClusterSnapshot fresh = cluster().usable(2, 2 * GIB).pressure(2, DiskPressure.CRITICAL)
                .usable(3, GIB).pressure(3, DiskPressure.CRITICAL).snapshot();

        assertThat(PlanRecheck.changes(planned, fresh)).containsExactly("a-0: no longer safe to drop: only 0 in-sync copies "
                + "on a disk not at critical pressure [], need max(1, min.insync.replicas=1) = 1 (log dir /data/b2 of broker 2 "
                + "is at critical pressure (Kafka reports 2 GiB usable of 1000 GiB), log dir /data/b3 of broker 3 is at critical "
                + "pressure (Kafka reports 1 GiB usable of 1000 GiB))");
    }
}
