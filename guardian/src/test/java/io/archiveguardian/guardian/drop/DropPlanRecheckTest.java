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
}
